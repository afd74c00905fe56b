"""The report's sentences and labels in Chinese and English: ``S[key][lang]``, filled in by :func:`text.t`.

The Chinese strings are Chinese throughout, with full-width punctuation; ``{field}`` marks what is filled in.
Vocabularies (section titles, verdicts, units, statuses) live in :mod:`.strings`.
"""

from __future__ import annotations

from .phrases_dominance import S as DOMINANCE  # the structural-uncertainty and loop-dominance sections' sentences
from .phrases_robustness import ROBUSTNESS

S = {
    # cover
    "report_title": {"zh": "天津科技创新规划目标评估", "en": "Will Tianjin's innovation targets be met?"},
    "report_subtitle": {"zh": "情景分析报告", "en": "Scenario report"},
    "cover_scenario": {"zh": "情景", "en": "Scenario"},
    "cover_scenario_line": {"zh": "情景：{name}", "en": "Scenario: {name}"},
    "cover_region": {"zh": "地区", "en": "Region"},
    "cover_horizon": {"zh": "模拟期", "en": "Horizon"},
    "cover_data_date": {"zh": "数据截至", "en": "Data as of"},
    "cover_data_date_value": {"zh": "{year}年（所用观测数据的最新年份）", "en": "{year} (latest observation year used"
                                                                  ")"},
    "cover_no_data": {"zh": "无（该地区没有观测数据，结果基于假设）",
                      "en": "none (no observations for this region; the results rest on assumptions)"},
    "cover_ensemble": {"zh": "集合", "en": "Ensemble"},
    "cover_ensemble_value": {"zh": "{n} 个成员，随机种子 {seed}，{engine}", "en": "{n} members, seed {seed}, {engine}"},
    "cover_model": {"zh": "模型", "en": "Model"},
    "cover_model_value": {"zh": "{file}（SHA-256 {sha}）", "en": "{file} (SHA-256 {sha})"},
    "cover_calibration": {"zh": "校准", "en": "Calibration"},
    "cover_files": {"zh": "输入文件（SHA-256）", "en": "Input files (SHA-256)"},
    "cover_version": {"zh": "软件版本", "en": "Software"},
    "cover_date": {"zh": "报告日期", "en": "Report date"},
    "cover_verdicts": {"zh": "目标判断", "en": "Verdicts"},
    "cover_uncalibrated": {"zh": "注意：地区“{region}”没有校准数据，本报告结果基于情景中声明的假设，而非校准。",
                           "en": "Note: region '{region}' has no calibration data; the results rest on the "
                                 "assumptions declared in the scenario, not on calibration."},
    "cover_no_posterior": {"zh": "注意：尚未提交校准后验，参数取模型默认值；区间只反映情景中声明的不确定性。",
                           "en": "Note: no calibration posterior is committed; parameters are at the model's "
                                 "defaults, so the bands show only the uncertainty declared in the scenario."},
    "calib_posterior": {"zh": "校准后验 {path}（{n} 组抽样，SHA-256 {sha}）",
                        "en": "posterior {path} ({n} draws, sha256 {sha})"},
    "calib_defaults": {"zh": "无：模型默认值（运行 innosd calibrate 可得到后验）",
                       "en": "none: model defaults (run `innosd calibrate` for a posterior)"},
    "engine_numpy_short": {"zh": "向量化引擎", "en": "vectorised engine"},
    "engine_pysd_short": {"zh": "PySD 参考引擎", "en": "PySD reference runner"},
    # summary
    "summary_lead": {"zh": "本情景检验 {n} 项规划目标：{on} 项有望达成，{risk} 项存在风险，{off} 项难以达成{assumed}。"
                           "判断依据是 {samples} 个集合成员中目标达成的比例 P(达成)：P ≥ {hi} 为有望达成，"
                           "P ≤ {lo} 为难以达成，其间为存在风险。",
                     "en": "This scenario tests {n} plan targets: {on} on track, {risk} at risk, {off} off track"
                           "{assumed}. Each verdict rests on P(met), the share of the {samples} ensemble members "
                           "that meet the target: on track when P ≥ {hi}, off track when P ≤ {lo}, at risk in "
                           "between."},
    "summary_assumed": {"zh": "，{k} 项由情景假设决定", "en": "; {k} set by the scenario's assumptions"},
    "summary_goal": {"zh": "目标：{year}年{what} {cmp} {value} {unit}", "en": "Target: {what} {cmp} {value} {unit} in"
                                                                          " {year}"},
    "summary_change": {"zh": "（{since}年底以来的增量）", "en": "(the change since end-{since})"},
    "summary_line2": {"zh": "{year}年中位数 {median} {unit}（90% 区间 {q05} – {q95}）",
                      "en": "Median in {year}: {median} {unit} (90% interval {q05} – {q95})"},
    "summary_line3_met": {"zh": "最可能的达成年份：{first}年（90% 区间 {fq05} – {fq95}）",
                          "en": "Likely year met: {first} (90% interval {fq05} – {fq95})"},
    "summary_line3_never": {"zh": "模拟期内（至{end}年）中位成员未达成；缺口约 {short}%",
                            "en": "Not met by the median member within the horizon (to {end}); "
                                  "shortfall about {short}%"},
    "summary_not_rep": {"zh": "另有 {n} 项规划目标模型未能表示（原因见“目标一览”），未作判断。",
                        "en": "{n} further plan targets are not represented by the model (reasons under Targets) "
                              "and are not judged."},
    "never": {"zh": "未达成", "en": "never"},
    "after_horizon": {"zh": "{end}年后", "en": "after {end}"},
    "by_horizon": {"zh": "至{end}年未达成", "en": "not by {end}"},
    # targets
    "tbl_target": {"zh": "目标", "en": "Target"},
    "tbl_indicator": {"zh": "指标", "en": "Indicator"},
    "tbl_year": {"zh": "年份", "en": "Year"},
    "tbl_goal": {"zh": "目标值", "en": "Goal"},
    "tbl_median": {"zh": "中位数", "en": "Median"},
    "tbl_interval": {"zh": "90% 区间", "en": "90% interval"},
    "tbl_p": {"zh": "P(达成)", "en": "P(met)"},
    "tbl_first": {"zh": "达成年份", "en": "Year met"},
    "tbl_verdict": {"zh": "判断", "en": "Verdict"},
    "tbl_short": {"zh": "缺口", "en": "Shortfall"},
    "targets_note": {"zh": "颜色：绿色为有望达成，琥珀色为存在风险，红色为难以达成，灰色为由假设决定。达成年份为中位"
                           "成员首次持续达到目标的年份，括号内为 5% – 95% 分位。"
                           "缺口为未达成成员与目标的平均差距（目标值的单位），括号内为其占目标值的百分比。"
                           "P(达成) 后的 ± 为蒙特卡洛标准误 √(p(1−p)/n_eff)，n_eff 为有效独立成员数：它是集合"
                           "成员数有限带来的误差，不含模型结构的不确定性。由假设决定的目标不给出概率。",
                     "en": "Colours: green on track, amber at risk, red off track, grey set by assumption. Year met "
                           "is the first year from which the median member meets the target for good, with the "
                           "5%–95% range in brackets. Shortfall is the mean gap of the members that miss, in the "
                           "target's units (as a share of the target in brackets). The ± after P(met) is its Monte "
                           "Carlo standard error √(p(1−p)/n_eff), n_eff the effective number of independent "
                           "members: the error of a finite ensemble, not the model's structural uncertainty. A "
                           "target set by assumption gets no probability."},
    "not_rep_title": {"zh": "模型未表示的规划目标", "en": "Plan targets the model does not represent"},
    "not_rep_none": {"zh": "无：情景中的全部规划目标均由模型表示。", "en": "None: every plan target in the scenario i"
                                                        "s represented."},
    "tbl_text": {"zh": "原文", "en": "Text"},
    "tbl_reason": {"zh": "未表示的原因", "en": "Reason"},
    # fans
    "fans_intro": {"zh": "每张图：蓝线为集合中位数，深浅蓝带为 50% 和 90% 区间，黑色点为历史观测（形状区分来源，代号"
                         "见“数据来源”），"
                         "红星为目标，灰色阴影为规划期 {p0}–{p1} 年。",
                   "en": "Each chart: blue line the ensemble median, dark and light bands the 50% and 90% intervals, "
                         "black points the observations (shape by source; keys under Data sources), red star the "
                         "target, grey shading the plan period {p0}–{p1}."},
    "fans_change_marker": {"zh": "目标 {id}：{since}年中位数加 {value}", "en": "target {id}: {since} median + {value}"},
    "fans_caption": {"zh": "{id}：{goal}。{verdict}，{p}；中位数 {median} [{q05} – {q95}]；达成年份 {first}",
                     "en": "{id}: {goal}. {verdict}, {p}; median {median} [{q05} – {q95}]; year met {first}"},
    # what it takes
    "wit_intro": {"zh": "对每个存在风险或难以达成的目标，求出使达成概率升至 {conf} 所需的单一杠杆变化（其余杠杆保持情"
                        "景设定）。",
                  "en": "For each target at risk or off track: the change in one lever, the others as in the "
                        "scenario, that lifts its probability of being met to {conf}."},
    "wit_bound_note": {"zh": "“无法达到”：在杠杆允许范围内无法达到 {conf}；括号中为所试的边界值，“变化后 P”为边界处的"
                             "概率。",
                       "en": "'not reachable': the lever's range does not reach {conf}; the bracketed change is the "
                             "bound tried and 'P after' the probability there."},
    "wit_members": {"zh": "搜索在 {m} 个集合成员上进行（随机种子 {seed}，各候选变化共用同一组抽样）。",
                    "en": "The search runs on {m} members (seed {seed}; every candidate change uses the same draws)."},
    "wit_members_fewer": {"zh": "成员数少于本次运行的 {n} 个，因此“现状 P”可能与目标表略有差异。",
                          "en": " That is fewer than the run's {n} members, so 'P now' can differ slightly from the "
                                "target table."},
    "wit_none_needed": {"zh": "无需分析：所有目标均有望达成（P ≥ {conf}）或由假设决定。",
                        "en": "Not needed: every target is on track (P ≥ {conf}) or set by assumption."},
    "wit_from": {"zh": "，自{year}年", "en": " from {year}"},
    "opt_missing": {"zh": "本运行目录中没有政策组合搜索的结果（optimise/pareto.csv）。"
                          "生成方法：{command}；然后重新生成本报告：{rerender}",
                    "en": "This run folder holds no portfolio search (optimise/pareto.csv). To produce it: {command}, "
                          "then re-render this report: {rerender}"},
    "opt_intro": {"zh": "在 {futures} 个未来情景（种子 {seed}）上评估了 {n} 个政策组合："
                        "{levers} 个杠杆各取水平与起始年，自决策年 {first} 年起才可调整。"
                        "成本为 {first}–{last} 年相对基准情景的新增投入（亿元）；"
                        "达成概率与目标一览表的口径相同。",
                  "en": "{n} portfolios judged on {futures} futures (seed {seed}): a level and a start year for "
                        "each of {levers} levers, changed from the decision year {first} on. Cost is the spending "
                        "beyond the base scenario over {first}-{last} (亿元); P(met) as in the target table."},
    "opt_cheapest_head": {"zh": "达成 k 个预测目标（概率 ≥ {conf}）的最低成本组合",
                          "en": "Cheapest portfolio meeting k forecast targets at ≥ {conf}"},
    "opt_cheapest_note": {"zh": "k 只计预测目标；由假设决定的目标（无概率）是约束，表中组合的数值均达到其目标值。"
                                "每个组合的情景文件见 optimise/portfolios/，可用 innosd run 复现。",
                          "en": "k counts forecast targets only; targets set by assumption (no probability) are "
                                "constraints every portfolio listed meets. Each portfolio is a scenario file in "
                                "optimise/portfolios/ that innosd run reproduces."},
    "opt_none": {"zh": "无组合可达成", "en": "none reaches it"},
    "opt_change": {"zh": "{lever} {value} {unit}（自{year}年）", "en": "{lever} {value} {unit} from {year}"},
    "opt_fail_head": {"zh": "所选组合在哪些情景下失败", "en": "Where the chosen portfolio fails"},
    "opt_no_chosen": {"zh": "没有组合达成任何目标。", "en": "No portfolio meets any target."},
    "opt_robust": {"zh": "所选组合 {p}：全部目标同时达成的情景比例 {sat}；"
                         "与各情景最优组合相比的遗憾值（目标值达成比例之差）平均 {regret}，90% 分位 {p90}；"
                         "在其达成全部目标的情景中平均多花 {over} 亿元。",
                   "en": "Chosen portfolio {p}: meets every target in a share {sat} of futures; regret against the "
                         "best portfolio per future (shortfall in shares of the goal) {regret} on average, {p90} at "
                         "the 90th percentile; where it meets every target it spends {over} 亿元 more than needed "
                         "on average."},
    "opt_no_box": {"zh": "所选组合在所有情景中均达成（或均未达成），无失败区域。",
                   "en": "The chosen portfolio meets every target in every future, or in none: no failure box."},
    "opt_box": {"zh": "{p} 在 {base} 的情景中未能达成全部目标。PRIM 找到的区域（下表，占全部情景的 {mass}）内失败率为 "
                      "{density}，覆盖其全部失败的 {coverage}。",
                "en": "{p} misses a target in {base} of futures. Inside the PRIM box below ({mass} of futures) it "
                      "fails in {density} of them, which is {coverage} of all its failures."},
    "opt_col_portfolio": {"zh": "组合", "en": "portfolio"},
    "opt_col_cost": {"zh": "成本（亿元）", "en": "cost (亿元)"},
    "opt_col_levers": {"zh": "杠杆调整", "en": "lever changes"},
    "opt_col_factor": {"zh": "不确定因素", "en": "factor"},
    "opt_col_low": {"zh": "下限", "en": "low"},
    "opt_col_high": {"zh": "上限", "en": "high"},
    "opt_costs_head": {"zh": "杠杆成本及其出处", "en": "Lever costs and their sources"},
    "opt_col_lever": {"zh": "杠杆", "en": "lever"},
    "opt_col_unit_cost": {"zh": "单位年成本（亿元）", "en": "亿元 per unit and year"},
    "opt_col_basis": {"zh": "依据", "en": "basis"},
    "opt_col_source": {"zh": "出处、引文与推算", "en": "source, quote and reasoning"},
    "opt_costs_note": {"zh": "成本来自 calibration/levers.yaml，情景可用 costs: 覆盖；依据为“假设”的数值是声明的判断。",
                       "en": "Costs come from calibration/levers.yaml; a scenario may override them under costs:. "
                             "A cost whose basis is an assumption is a declared judgement."},
    "wit_missing": {"zh": "本运行目录中没有达成所需分析的结果（what_it_takes.csv）。生成方法：{command}",
                    "en": "This run folder holds no what-it-takes results (what_it_takes.csv). To produce them: "
                          "{command}"},
    "wit_empty": {"zh": "分析未返回结果。", "en": "The analysis returned no rows."},
    "tbl_lever": {"zh": "杠杆", "en": "Lever"},
    "tbl_mode": {"zh": "方式", "en": "Mode"},
    "tbl_p_now": {"zh": "现状 P", "en": "P now"},
    "tbl_change": {"zh": "所需变化", "en": "Change needed"},
    "tbl_p_after": {"zh": "变化后 P", "en": "P after"},
    "tbl_status": {"zh": "结果", "en": "Status"},
    # calibration
    "cal_fit_intro": {"zh": "拟合图：观测值（实心为实际值，空心为估计值）与模型 {start}–{end} 年的集合中位数和 50%/90"
                            "% 区间。",
                      "en": "Fit plots: observations (filled actual, hollow estimate) against the model's ensemble "
                            "median and 50%/90% bands for {start}–{end}, for every series the model has a variable fo"
                            "r."},
    "cal_posterior": {"zh": "参数来源：{label}", "en": "Parameters: {label}"},
    "cal_none": {"zh": "未提交校准（{cal}/fit_table.csv 与 {cal}/fit.yaml 不存在）：下图中的模型曲线使用"
                       "参数默认值。",
                 "en": "No calibration committed ({cal}/fit_table.csv and {cal}/fit.yaml are absent): "
                       "the model curves below use the parameters' default values."},
    "cal_fit_table": {"zh": "拟合表：与朴素趋势基准比较", "en": "Fit table against the naive trend baseline"},
    "cal_no_fit_table": {"zh": "未提交拟合表 {cal}/fit_table.csv。",
                         "en": "No fit table committed ({cal}/fit_table.csv)."},
    "cal_ident": {"zh": "可识别性：数据能确定哪些参数", "en": "Identifiability: which parameters the data identify"},
    "cal_no_fit_yaml": {"zh": "未提交校准（{cal}/fit.yaml 不存在）。",
                        "en": "No calibration committed ({cal}/fit.yaml is absent)."},
    "cal_no_ident": {"zh": "{cal}/fit.yaml 中没有可识别性结果。", "en": "{cal}/fit.yaml has no identifiab"
                                                                    "ility results."},
    "cal_fit_plots": {"zh": "拟合图", "en": "Fit plots"},
    "cal_fit_table_note": {"zh": "来自 {cal}/fit_table.csv。“样本内”指校准所用的观测；基准为朴素对数线性趋势。"
                                 "MAPE 为平均绝对百分比误差，Theil U 越小越好。样本内只有 1–2 个点的序列，基准会穿过"
                                 "全部点，"
                                 "比较没有意义。",
                           "en": "From {cal}/fit_table.csv. in = in sample; baseline = the naive log-linear tre"
                                 "nd. "
                                 "MAPE is the mean absolute percentage error; smaller Theil U is better. With 1-2 "
                                 "points in sample the baseline passes through every point, so those rows say "
                                 "nothing about skill."},
    "cal_ident_table": {"zh": "来自 {cal}/fit.yaml。各参数的先验、后验与可识别性见“假设”一节的参数表。",
                        "en": "From {cal}/fit.yaml. Each parameter's prior, posterior and identifiability are "
                              "in the parameter table under Assumptions."},
    "cal_ident_rule": {"zh": "判定规则（原文）：{rule}", "en": "Rule: {rule}"},
    "cal_identified": {"zh": "数据可识别的参数（{n} 个）：{names}", "en": "Identified by the data ({n}): {names}"},
    "cal_prior_dominated": {"zh": "由先验主导的参数（{n} 个）：{names}", "en": "Prior-dominated ({n}): {names}"},
    "cal_residuals": {"zh": "MAP 残差", "en": "MAP residuals"},
    "cal_residuals_note": {"zh": "来自 {cal}/fit.yaml。z =（log 观测值 − log 模型值）/ sigma。下表只列 |z| > 1 "
                                 "的观测"
                                 "（{n} 个中的其余均在 1 个 sigma 以内）；|z| > 2 标红。",
                           "en": "From {cal}/fit.yaml. z = (log observed − log model) / sigma. Only observations "
                                 "with |z| > 1 are listed (the rest of the {n} lie within one sigma); |z| > 2 in red."},
    "cal_no_history": {"zh": "该地区没有观测数据，无法绘制拟合图。", "en": "No observations for this region: no fit p"
                                                         "lots."},
    # sensitivity
    "sens_files": {"zh": "主要驱动因素，来自 {file}（按 {metric} 排序，每个目标前 {k} 项）。",
                   "en": "Main drivers from {file} (ranked by {metric}, top {k} per target)."},
    "sens_spearman": {"zh": "本运行目录中没有全局敏感性分析结果（生成方法：{command}）。下图为集合中各输入"
                            "（参数抽样{levers}）与目标年目标量之间的 Spearman 秩相关系数，按绝对值取前 {k} 项。",
                      "en": "This run folder holds no global sensitivity results (to produce them: {command}). "
                            "Shown instead: Spearman rank correlations between the ensemble's inputs (parameter "
                            "draws{levers}) and each target's quantity in its deadline year, top {k} by absolute valu"
                            "e."},
    "sens_missing": {"zh": "本运行目录中没有敏感性结果。生成方法：{command}",
                     "en": "This run folder holds no sensitivity results. To produce them: {command}"},
    "sens_levers": {"zh": "及杠杆不确定性抽样", "en": " and sampled lever uncertainty"},
    "sens_no_inputs": {"zh": "集合中没有变化的输入：无法计算相关性。", "en": "No input varies across the ensemble: no"
                                                          " correlations."},
    "sens_no_var": {"zh": "该目标量在集合中没有变化", "en": "this quantity does not vary across the ensemble"},
    "sens_none_for": {"zh": "结果文件中没有该目标", "en": "not in the results file"},
    "sens_varying": {"zh": "变化的输入：{names}", "en": "Varying inputs: {names}"},
    "draw_shift": {"zh": "{name}（平移）", "en": "{name} (shift)"},
    "draw_scale": {"zh": "{name}（缩放）", "en": "{name} (scale)"},
    "sens_rho": {"zh": "Spearman 秩相关系数 ρ", "en": "Spearman ρ"},
    "metric_ST": {"zh": "总效应指数 ST", "en": "total Sobol' index ST"},
    "metric_S1": {"zh": "一阶指数 S1", "en": "first-order index S1"},
    "metric_mu_star": {"zh": "Morris μ*", "en": "Morris μ*"},
    "metric_sigma": {"zh": "Morris σ", "en": "Morris σ"},
    # assumptions
    "ass_declared": {"zh": "情景中声明的假设", "en": "Assumptions declared in the scenario"},
    "ass_description": {"zh": "情景说明", "en": "Scenario description"},
    "ass_none": {"zh": "情景未另行声明假设（见下方情景文件中的注释）。",
                 "en": "The scenario declares no further assumptions (see the comments in the scenario file below)."},
    "ass_params": {"zh": "参数：先验范围与后验", "en": "Parameters: prior range and posterior"},
    "ass_params_note": {"zh": "先验来自 calibration/parameters.yaml；后验中位数与 90% 区间来自本次集合的参数抽样；"
                              "U/logU 为均匀/对数均匀先验；“可识别性”来自 {cal}/fit.yaml（状态与后验/先验 90% "
                              "宽度比）；"
                              "“情景”列标出被情景覆盖的参数；“依据”为 parameters.yaml 中理由的中文译文（"
                              "calibration/parameters.zh.yaml，引语保持原文）。",
                        "en": "Priors from calibration/parameters.yaml; posterior median and 90% interval from this "
                              "run's parameter draws; U/logU = uniform/log-uniform prior; 'identified' from "
                              "{cal}/fit.yaml (status and posterior/prior 90% width ratio); the 'scenario' "
                              "column marks parameters the scenario overrides."},
    "tbl_param": {"zh": "参数", "en": "Parameter"},
    "tbl_unit": {"zh": "单位", "en": "Unit"},
    "tbl_prior": {"zh": "先验", "en": "Prior"},
    "tbl_default": {"zh": "默认值", "en": "Default"},
    "tbl_post": {"zh": "后验中位数", "en": "Posterior median"},
    "tbl_post90": {"zh": "后验 90%", "en": "Posterior 90%"},
    "tbl_scen": {"zh": "情景", "en": "Scenario"},
    "tbl_ident": {"zh": "可识别性", "en": "Identified"},
    "tbl_why": {"zh": "依据", "en": "Why"},
    "ass_levers": {"zh": "杠杆路径：情景与模型默认", "en": "Lever paths: scenario against the model default"},
    "ass_levers_note": {"zh": "灰色虚线为模型默认（历史）路径，蓝线为本情景路径，浅蓝带为声明的不确定性范围；横轴为该"
                              "值驱动其流量的日历年。",
                        "en": "Grey dashed: the model's default (historical) path; blue: this scenario; light "
                              "band: the declared uncertainty; x axis: the calendar year whose flows the value drives"
                              "."},
    "lever_default": {"zh": "模型默认", "en": "model default"},
    "lever_scenario": {"zh": "本情景", "en": "scenario"},
    "lever_band": {"zh": "不确定性范围", "en": "declared uncertainty"},
    "ass_yaml": {"zh": "情景文件（原文）", "en": "Scenario file (verbatim)"},
    "ass_yaml_base": {"zh": "所继承的基础情景文件（原文）", "en": "Base scenario file it extends (verbatim)"},
    # model
    "mod_diagram": {"zh": "存量—流量结构图", "en": "Stock-and-flow structure"},
    "mod_loops_diagram": {"zh": "因果回路图", "en": "Causal-loop diagram"},
    "mod_no_diagram": {"zh": "模型目录中没有结构图（生成方法：innosd describe --write）。",
                       "en": "The model folder has no structure diagram (to draw it: innosd describe --write)."},
    "mod_no_structure": {"zh": "运行目录中没有模型结构记录（structure.json）。生成方法：{command}",
                         "en": "The run folder holds no model structure record (structure.json). To produce it: "
                               "{command}"},
    "mod_loops": {"zh": "反馈回路（{n} 条，最短优先）", "en": "Feedback loops ({n}, shortest first)"},
    "mod_stocks": {"zh": "存量与流量（说明为模型文件原文）", "en": "Stocks and flows"},
    "tbl_stock": {"zh": "存量", "en": "Stock"},
    "tbl_inflows": {"zh": "流入", "en": "Inflows"},
    "tbl_outflows": {"zh": "流出", "en": "Outflows"},
    "tbl_doc": {"zh": "说明", "en": "Description"},
    "mod_file": {"zh": "模型文件：{file}（SHA-256 {sha}）", "en": "Model file: {file} (sha256 {sha})"},
    # sources
    "src_intro": {"zh": "本报告使用的每一个数字及其来源与原文引语。观测值取自 calibration/observed.csv（地区 {region}，"
                        "共 {n} 行)；目标取自情景文件。来源代号见本节末尾的来源表。",
                  "en": "Every figure this report uses, with its source and verbatim quote. Observations come from "
                        "calibration/observed.csv (region {region}, {n} rows); targets from the scenario file. "
                        "Source keys are listed in the source table at the end of this section."},
    "src_observed": {"zh": "观测数据", "en": "Observations"},
    "src_targets": {"zh": "规划目标", "en": "Plan targets"},
    "src_not_rep": {"zh": "模型未表示的规划目标", "en": "Plan targets not represented"},
    "src_keys": {"zh": "来源表", "en": "Sources"},
    "src_none": {"zh": "该地区在 observed.csv 中没有观测数据。", "en": "observed.csv has no rows for this region."},
    "tbl_value": {"zh": "数值", "en": "Value"},
    "tbl_kind": {"zh": "类型", "en": "Kind"},
    "tbl_source": {"zh": "来源", "en": "Source"},
    "tbl_quote": {"zh": "原文引语", "en": "Quote"},
    "tbl_key": {"zh": "代号", "en": "Key"},
    "tbl_item": {"zh": "项目", "en": "Item"},
    # method
    "method_title": {"zh": "方法", "en": "Method"},
    "method_engine": {"zh": "模拟引擎：{engine}；欧拉积分，步长 dt = {dt} 年，每 {saveper} 年输出，{start}–{end} 年。",
                      "en": "Engine: {engine}; Euler integration with dt = {dt} year, output every {saveper} year, "
                            "{start}–{end}."},
    "engine_numpy": {"zh": "innosd 向量化 NumPy 引擎（由 PySD 抽象模型编译，集合成员并行计算）",
                     "en": "innosd's vectorised NumPy engine (compiled from PySD's abstract model; all members at onc"
                           "e)"},
    "engine_pysd": {"zh": "PySD 参考实现（逐成员运行）", "en": "PySD's reference runner (one member at a time)"},
    "method_sampling": {"zh": "抽样：{n} 个集合成员，随机种子 {seed}。参数行从{calib}中有放回抽取；情景中的不确定参数"
                              "按均匀分布"
                              "逐成员抽取；杠杆不确定性每个成员抽取一次，自杠杆生效年起作用。",
                        "en": "Sampling: {n} members, seed {seed}. Parameter rows are drawn with replacement "
                              "from {calib}; "
                              "uncertain parameters declared in the scenario are drawn uniformly per member; lever "
                              "uncertainty is drawn once per member and acts from the year the lever acts."},
    "method_calib_post": {"zh": "校准后验 {path} ", "en": "the calibration posterior {path}"},
    "method_calib_none": {"zh": "模型默认值（未提交校准后验）", "en": "the model's defaults (no calibration posterior"
                                                        " committed)"},
    "method_likelihood": {"zh": "似然与校准：{text}", "en": "Likelihood and calibration: {text}"},
    "method_likelihood_file": {"zh": "见 {cal}/fit.yaml（似然：观测值的对数服从以模型值的对数为均值的正态分布；"
                                     "先验见 calibration/parameters.yaml)", "en": "{text}"},
    "method_no_likelihood": {"zh": "未提交校准（{cal}/fit.yaml 不存在），因此没有似然函数；参数未经数据更新。",
                             "en": "no calibration committed ({cal}/fit.yaml is absent), so there is no "
                                   "likelihood; the parameters are not updated by the data."},
    "method_verdicts": {"zh": "判断阈值：P(达成) ≥ {hi} 为有望达成，≤ {lo} 为难以达成，其间为存在风险。"
                              "P(达成) 为目标年目标量满足比较条件的成员比例。",
                        "en": "Verdict thresholds: P(met) ≥ {hi} on track, ≤ {lo} off track, at risk in between. "
                              "P(met) is the share of members whose target quantity satisfies the comparison in "
                              "the deadline year."},
    "method_bands": {"zh": "扇形图与拟合图：中位数为集合成员逐年的中位数，50% 区间为第 25–75 百分位，90% 区间为第 5–9"
                           "5 百分位。",
                     "en": "Fan and fit charts: the median is the members' median year by year; the 50% band "
                           "spans the 25th-75th percentiles and the 90% band the 5th-95th."},
    "method_wit": {"zh": "达成所需：innosd.whatittakes 对每个存在风险或难以达成的目标与每个政策杠杆，在 {m} 个成员上"
                         "（共用同一组抽样）先用网格再逐步细化，求出使 P(达成) 达到 {conf} 的最小杠杆变化。",
                   "en": "What it would take: innosd.whatittakes searches, for each target at risk or off track and "
                         "each policy lever, the smallest lever change that lifts P(met) to {conf}, on {m} members "
                         "sharing the same draws (a grid, then finer grids)."},
    "method_date": {"zh": "报告日期取自 SOURCE_DATE_EPOCH（未设置时为生成时间）：{date}。",
                    "en": "Report date from SOURCE_DATE_EPOCH (the time of writing when unset): {date}."},
    "method_plan": {"zh": "规划期：最早目标年份前两年至最晚目标年份（{p0}–{p1} 年）。",
                    "en": "Plan period: from two years before the earliest target year to the latest target "
                          "year ({p0}–{p1})."},
    "method_rests_cal": {"zh": "地区“{region}”：结果基于校准数据（{calib}）。",
                         "en": "Region '{region}': the results rest on the calibration ({calib})."},
    "method_rests_ass": {"zh": "地区“{region}”没有校准数据：结果基于情景中声明的假设，而非校准。",
                         "en": "Region '{region}' has no calibration data: the results rest on the assumptions "
                               "declared in the scenario, not on calibration."},
    "method_sens": {"zh": "敏感性：{text}", "en": "Sensitivity: {text}"},
    "method_sens_file": {"zh": "来自 {file}", "en": "from {file}"},
    "method_sens_spearman": {"zh": "集合内 Spearman 秩相关（非方差分解，相关输入可能互相代理）",
                             "en": "Spearman rank correlation within the ensemble (not a variance decomposition; "
                                   "correlated inputs may stand in for each other)"},
    "method_repro": {"zh": "可复现性", "en": "Reproducibility"},
    "method_repro_text": {"zh": "相同的情景文件、模型文件、校准文件、随机种子与 SOURCE_DATE_EPOCH 生成逐字节相同的 PD"
                                "F。"
                                "先运行情景，再由运行目录生成报告：",
                          "en": "The same scenario, model and calibration files, seed and SOURCE_DATE_EPOCH give a "
                                "byte-identical PDF. Run the scenario, then render the report from the run folder:"},
    "method_provenance": {"zh": "运行记录", "en": "Provenance"},
    "prov_scenario": {"zh": "情景", "en": "scenario"},
    "prov_scenario_sha256": {"zh": "情景文件 SHA-256", "en": "scenario sha256"},
    "prov_model_file": {"zh": "模型文件", "en": "model file"},
    "prov_model_sha256": {"zh": "模型文件 SHA-256", "en": "model sha256"},
    "prov_calibration": {"zh": "校准", "en": "calibration"},
    "prov_calibration_sha256": {"zh": "校准后验 SHA-256", "en": "calibration sha256"},
    "prov_seed": {"zh": "随机种子", "en": "seed"}, "prov_engine": {"zh": "引擎", "en": "engine"},
    "prov_innosd_version": {"zh": "软件版本", "en": "innosd version"}, "prov_region": {"zh": "地区", "en": "region"},
    "prov_rests_on": {"zh": "结果依据", "en": "rests on"}, "prov_vintage": {"zh": "数据年份", "en": "vintage"},
    "rests_calibration": {"zh": "校准", "en": "calibration"},
    "rests_assumptions": {"zh": "情景中声明的假设（该地区没有校准数据）",
                          "en": "assumptions declared in the scenario (no calibration data for this region)"},
    "footer_page": {"zh": "第 {i} / {n} 页", "en": "Page {i} of {n}"},
    "footer_line": {"zh": "innosd {version} · 情景 {scenario} {sha} · 模型 {model} · 校准 {calib} · 种子 {seed} · "
                          "成员 {n} · {engine}",
                    "en": "innosd {version} · scenario {scenario} {sha} · model {model} · calibration {calib} · "
                          "seed {seed} · n {n} · {engine}"},
    "none": {"zh": "无", "en": "none"},
    "yes": {"zh": "是", "en": "yes"},
}
S.update(ROBUSTNESS | DOMINANCE)  # the prior-sensitivity, backtest, structures and loops sections' sentences

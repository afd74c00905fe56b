"""Sentences on how far the findings hold, and the headings of the scenario's Chinese twins.

P(met)'s error, targets set by assumption, the prior-sensitivity and backtest sections.

Merged into :data:`innosd.report.phrases.S` (one dictionary of sentences; kept apart so the module stays small).
"""

from __future__ import annotations

ROBUSTNESS = {
    # the error of P(met), targets set by assumption, the scenario's Chinese twins (issue 10b)
    "summary_line1": {"zh": "判断：{verdict}；达成概率 {p}（± 后为蒙特卡洛标准误）",
                      "en": "Verdict: {verdict}; probability met {p} (± its Monte Carlo standard error)"},
    "summary_line1_assumed": {"zh": "判断：{verdict}。该值由情景设定的杠杆决定，没有任何不确定的量影响它，"
                                    "因此不给出概率",
                              "en": "Verdict: {verdict}. The value is set by the scenario's levers and no uncertain "
                                    "quantity moves it, so no probability is given"},
    "p_assumed": {"zh": "由假设决定，无概率", "en": "set by assumption, no probability"},
    "tbl_p_se": {"zh": "P(达成)±标准误", "en": "P(met) ± s.e."},
    "tbl_note": {"zh": "标签与说明", "en": "Label and note"},
    "ass_description_orig": {"zh": "情景说明（情景文件原文）", "en": "Scenario description"},
    "pri_missing": {"zh": "本运行目录中没有先验敏感性结果（prior_sensitivity.csv）。生成方法：{command}",
                    "en": "This run folder holds no prior-sensitivity results (prior_sensitivity.csv). To produce "
                          "them: {command}"},
    "pri_uncalibrated": {"zh": "本次运行没有使用校准后验（参数取默认值或情景假设），因此没有可放宽或收紧的先验。",
                         "en": "This run rests on no calibration posterior (parameters at their defaults or the "
                               "scenario's assumptions), so there is no prior to widen or narrow."},
    "pri_intro": {"zh": "数据不足以确定某个参数时，结论部分取决于它的先验，即 calibration/parameters.yaml 中为它给出的"
                        "取值范围。本节把每个参数的先验在其范围内放宽（α = 0.5，权重更多地放在范围两端）或收紧（α = 2"
                        "，权重更多地放在范围中部），看各目标的 P(达成) 如何变化、判断是否改变，以及 P(达成) 取决于哪"
                        "些参数的先验。做法是对本次 {n} 个集合成员的后验抽样重新加权，而不重新校准。",
                  "en": "Where the data do not pin a parameter down, the verdict rests partly on its prior: the "
                        "range calibration/parameters.yaml gives it. This section widens each parameter's prior "
                        "within its range (α = 0.5: more weight towards the ends) or narrows it (α = 2: more weight t"
                        "owards the middle), and shows how each target's P(met) moves, whether its verdict changes, "
                        "and which parameters' priors it rests on. It reweights this run's {n} members' posterior "
                        "draws; nothing is recalibrated."},
    "pri_chart_note": {"zh": "图：黑点为本次运行的 P(达成)，空心圆为先验放宽（α = 0.5），空心方块为先验收紧（α = 2），"
                             "横线为 ±2 倍蒙特卡洛标准误；背景颜色为判断区间（红：难以达成，琥珀：存在风险，绿：有望达"
                             "成）。",
                       "en": "Chart: black dot this run's P(met), open circle with wider priors (α = 0.5), open squar"
                             "e with narrower priors (α = 2), bars ±2 Monte Carlo standard errors; the background sho"
                             "ws the verdict bands (red off track, amber at risk, green on track)."},
    "pri_now": {"zh": "现在 (α = 1)",
                "en": "now (α = 1)"},
    "pri_wider": {"zh": "先验放宽 (α = 0.5)",
                  "en": "wider priors (α = 0.5)"},
    "pri_narrower": {"zh": "先验收紧 (α = 2)",
                     "en": "narrower priors (α = 2)"},
    "pri_verdicts": {"zh": "判断（放宽 / 收紧）",
                     "en": "Verdict (wider / narrower)"},
    "pri_rests_on": {"zh": "P(达成) 取决于其先验的参数（放宽 / 收紧时的变化）",
                     "en": "Parameters whose prior P(met) rests on (change wider / narrower)"},
    "pri_none": {"zh": "无",
                 "en": "none"},
    "pri_reading": {"zh": "解读",
                    "en": "Reading"},
    "pri_head": {"zh": "{id}（{indicator}）：P(达成) 现为 {p}；先验放宽时为 {pw}，收紧时为 {pn}。",
                 "en": "{id} ({indicator}): P(met) is {p} now, {pw} with wider priors and {pn} with narrower."},
    "pri_same": {"zh": "两种情况下判断都是“{verdict}”：该判断不取决于先验。",
                 "en": "The verdict is '{verdict}' either way: it does not rest on the priors."},
    "pri_moves": {"zh": "P(达成) 的变化（最多 {change}）超过其误差的两倍，但没有跨过判断阈值。",
                  "en": "P(met) moves by up to {change}, more than twice its error, but not across a verdict "
                        "threshold."},
    "pri_changes": {"zh": "先验{how}时判断将变为“{verdict}”：该判断取决于先验。",
                    "en": "With {how} priors the verdict would be '{verdict}': it rests on the priors."},
    "pri_near": {"zh": "先验{how}时 P(达成) 跨过判断阈值（“{verdict}”），但变化在蒙特卡洛误差的两倍之内：该目标处在阈"
                       "值附近，本次集合无法确定先验是否改变判断。",
                 "en": "With {how} priors P(met) crosses a verdict threshold ('{verdict}'), but by less than twice "
                       "its Monte Carlo error: the target sits near a threshold, and this ensemble cannot tell "
                       "whether the priors change its verdict."},
    "pri_how_wider": {"zh": "放宽",
                      "en": "wider"},
    "pri_how_narrower": {"zh": "收紧",
                         "en": "narrower"},
    "pri_params": {"zh": "P(达成) 受其先验影响最大的参数：{names}。",
                   "en": "The parameters whose priors move it most: {names}."},
    "pri_no_params": {"zh": "没有哪个参数的先验单独使 P(达成) 的变化超过其误差的两倍。",
                      "en": "No parameter's prior alone moves P(met) by more than twice its error."},
    "pri_assumed": {"zh": "由假设决定的目标不受先验影响，未列出：{ids}。",
                    "en": "Targets set by assumption do not depend on the priors and are not listed: {ids}."},
    "pri_method": {"zh": "方法：幂缩放（Kallioinen 等，2024）。参数先验在采样坐标 z = logit(u) 中取 α 次幂，等价于在先"
                         "验累积概率 u 上取 Beta(α, α) 分布。每个参数的先验单独缩放时，用帕累托平滑重要性抽样对成员重"
                         "新加权，结果是精确的（最大帕累托形状参数 k = {k}；k > 0.7 的参数改用一阶近似）；全部先验一"
                         "起缩放时，取各参数单独变化之和并截断到 [0, 1]，忽略先验之间的交互作用（对全部先验同时重新加"
                         "权时，权重退化到十几个成员上）。± 为蒙特卡洛标准误（影响函数法，按共享后验抽样的成员放大）。"
                         "某参数列入“取决于”，当其先验单独使 P(达成) 的变化超过自身误差的两倍；判断改变且变化超过误差"
                         "的两倍时，称判断“取决于先验”。模型偏差 σ 的先验与情景设定的参数不参与缩放。数据来自 {file}。",
                   "en": "Method: power-scaling (Kallioinen et al. 2024). A parameter's prior is raised to the power "
                         "α in the sampler's coordinate z = logit(u), which is a Beta(α, α) distribution on its prior"
                         "-CDF coordinate u. Scaling one parameter's prior alone, the members are reweighted by "
                         "Pareto-smoothed importance sampling, exactly (largest Pareto shape k = {k}; a parameter wi"
                         "th k > 0.7 falls back to the first-order weights); scaling all priors together, the one-at"
                         "-a-time changes are summed and clipped to [0, 1], neglecting interactions between priors "
                         "(reweighting by all priors at once puts the whole weight on a dozen members). ± is the Mont"
                         "e Carlo standard error (influence functions, inflated for members sharing a posterior "
                         "draw). A parameter is listed when its prior alone moves P(met) by more than twice its own "
                         "error; a verdict rests on the priors when it changes by more than twice the error. The "
                         "priors of the discrepancy sigmas and the parameters the scenario sets are not scaled. From "
                         "{file}."},
    "bt_missing": {"zh": "尚无回测结果（{folder}/scores.csv 不存在）。生成方法：在项目目录运行 innosd backtest（对 201"
                         "8–2021 年四个预测起点分别校准并预测至 2022 年，约需 5 分钟），然后重新生成本报告。",
                   "en": "No backtest yet ({folder}/scores.csv is absent). To produce it: run innosd backtest in the "
                         "project (it calibrates on each of the origins 2018-2021 and forecasts to 2022, about 5 "
                         "minutes), then render this report again."},
    "bt_intro": {"zh": "回测检验的是校准与预测方法本身，与本情景的设定无关：在每个预测起点，只用截至该年的数据重新校准"
                       "，预测此后直到 {to} 年的每一个已知观测值，并与两种基准比较：对数线性趋势（附回归预测区间）和沿"
                       "用上年值（随机游走，离散程度取该序列历史的对数年变化）。三种方法都给出预测分布，用同一方法在对"
                       "数尺度上评分。来自 {file}（SHA-256 {sha}），由 innosd backtest 生成；修改模型或校准后应重新运"
                       "行。",
                 "en": "The backtest tests the calibration and forecasting method itself, not this scenario: at each "
                       "forecast origin the model is calibrated on the data up to that year only, forecasts every "
                       "later observed value up to {to}, and is compared with two baselines given the same data: a "
                       "log-linear trend (with its regression prediction interval) and carry-forward of the last "
                       "value (a random walk with the series' historical log-change spread). All three give "
                       "predictive distributions and are scored alike, on the log scale. From {file} (SHA-256 "
                       "{sha}), written by innosd backtest; run it again after changing the model or the calibration."},
    "bt_summary": {"zh": "全部起点合计，在三种方法都能预测的 {n} 个值上：模型的平均 CRPS 为 {model}，对数线性趋势为 "
                         "{trend}，沿用上年值为 {carry}（越低越好）。模型的 90% 区间覆盖了 {cov90} 的实际值（名义 90%"
                         "），50% 区间覆盖了 {cov50}（名义 50%）。",
                   "en": "Over all origins, on the {n} values all three methods forecast: the model's mean CRPS is "
                         "{model}, the log-linear trend's {trend} and carry-forward's {carry} (lower is better). The "
                         "model's 90% intervals hold {cov90} of the actual values (nominal 90%), its 50% intervals "
                         "{cov50} (nominal 50%)."},
    "bt_table": {"zh": "各起点的得分（三种方法都能预测的值）",
                 "en": "Scores by origin (values every method forecasts)"},
    "bt_origin": {"zh": "起点",
                  "en": "Origin"},
    "bt_method": {"zh": "方法",
                  "en": "Method"},
    "bt_n": {"zh": "值数",
             "en": "n"},
    "bt_cov50": {"zh": "50% 覆盖率",
                 "en": "50% coverage"},
    "bt_cov90": {"zh": "90% 覆盖率",
                 "en": "90% coverage"},
    "bt_crps": {"zh": "CRPS",
                "en": "CRPS"},
    "bt_is90": {"zh": "区间得分（90%）",
                "en": "90% interval score"},
    "bt_caution": {"zh": "说明：CRPS（连续分级概率评分）与区间得分越低越好；PIT 为实际值在预测分布中的分位，校准良好时"
                         "其直方图平坦。各起点的留出值相互重叠（同一个 2022 年的值在多个起点都被预测），合计的覆盖率与"
                         " PIT 会把部分值计算多次；每个起点只有 {lo}–{hi} 个值，覆盖率只是粗略的。",
                   "en": "Notes: lower CRPS (continuous ranked probability score) and interval score are better; the "
                         "PIT is the actual value's quantile in the forecast distribution, flat when calibrated. The "
                         "held-out values overlap across origins (one 2022 value is forecast from several origins), "
                         "so the pooled coverage and PIT count some values more than once; with {lo}-{hi} values per "
                         "origin the coverage figures are rough."},
}


"""The report's vocabularies in Chinese and English: section titles, verdicts, units, statuses, heads.

The Chinese report is Chinese throughout: section titles, table heads, statuses, units, legend
entries and notes. Text that comes verbatim from the project's files (the scenario's description
and reasons, quotes, parameter notes, the model's documentation) is shown as written.
"""

from __future__ import annotations

# Section keys in report order, with their titles (page headers and PDF bookmarks).
SECTIONS = {
    "cover": {"zh": "封面", "en": "Cover"},
    "summary": {"zh": "执行摘要", "en": "Executive summary"},
    "targets": {"zh": "目标一览", "en": "Targets"},
    "fans": {"zh": "目标指标预测", "en": "Fan charts"},
    "structures": {"zh": "模型结构的不确定性", "en": "Structural uncertainty"},
    "loops": {"zh": "回路主导", "en": "Loop dominance"},
    "whatittakes": {"zh": "达成所需", "en": "What it would take"},
    "portfolios": {"zh": "成本最低的政策组合", "en": "Costed policy portfolios"},
    "calibration": {"zh": "模型校准", "en": "Calibration"},
    "priors": {"zh": "先验敏感性", "en": "Prior sensitivity"},
    "backtest": {"zh": "预测回测", "en": "Backtest"},
    "sensitivity": {"zh": "敏感性", "en": "Sensitivity"},
    "assumptions": {"zh": "假设", "en": "Assumptions"},
    "model": {"zh": "模型结构", "en": "The model"},
    "sources": {"zh": "数据来源", "en": "Data sources"},
    "method": {"zh": "方法说明", "en": "Method notes"},
}

VERDICT_LABELS = {
    "on track": {"zh": "有望达成", "en": "on track"},
    "at risk": {"zh": "存在风险", "en": "at risk"},
    "off track": {"zh": "难以达成", "en": "off track"},
    "met by assumption": {"zh": "按假设达成", "en": "met by assumption"},
    "not met by assumption": {"zh": "按假设未达成", "en": "not met by assumption"},
    "set by assumption": {"zh": "由假设决定", "en": "set by assumption"},
}

# Statuses and modes of the what-it-takes search (innosd.whatittakes).
WIT_STATUS = {
    "reached": {"zh": "可达到", "en": "reached"},
    "already met": {"zh": "已达到", "en": "already met"},
    "not reachable": {"zh": "无法达到", "en": "not reachable"},
    "too late": {"zh": "早于决策年", "en": "due before the decision year"},
}
WIT_MODE = {"level": {"zh": "水平", "en": "level"}, "growth": {"zh": "增速", "en": "growth"}}

# Units as written in scenarios, data and the model -> Chinese. English keeps them as written.
UNITS_ZH = {
    "亿元/year": "亿元/年", "亿元/yr": "亿元/年", "firms": "家", "firms/year": "家/年", "patents": "件",
    "patents per 10k residents": "件/万人", "spaces": "家", "spaces/year": "家/年", "persons": "人",
    "persons/year": "人/年", "platforms": "家", "platforms/year": "家/年", "results/year": "项/年",
    "1/year": "1/年", "year": "年", "years": "年", "pp": "个百分点", "percentage points": "个百分点",
    "x (multiplier)": "倍", "×": "倍", "incubators/year": "家/年", "maker spaces/year": "家/年",
    "commissioners/year": "人/年", "count": "个", "1e8CNY": "亿元", "%GDP": "% GDP", "per 10k people": "每万人",
    "dmnl": "无量纲", "Dmnl": "无量纲", "1": "无量纲", "lever units": "杠杆单位",
}

# Units written in Chinese -> English (the English report is English throughout).
UNITS_EN = {"亿元": "CNY 100m", "亿元/year": "CNY 100m/year", "亿元/年": "CNY 100m/year", "家": "firms",
            "家/年": "firms/year", "件": "patents", "人": "persons", "%": "%"}

# Words inside compound units (the model's and parameters.yaml's, e.g. 'patents/(yiyuan*Year)') -> Chinese.
UNIT_WORDS_ZH = {
    "yiyuan": "亿元", "Year": "年", "year": "年", "yr": "年", "firms": "家", "firm": "家", "spaces": "家",
    "platforms": "家", "patents": "件", "persons10k": "万人", "persons": "人", "results": "项", "percent": "%",
    "Dmnl": "无量纲", "dmnl": "无量纲", "commissioners": "人", "incubators": "家",
}

# Regions of the scenarios (others are shown by their id).
REGIONS = {"tianjin": {"zh": "天津市（tianjin）", "en": "Tianjin (tianjin)"},
           "ecocity": {"zh": "中新天津生态城（ecocity）", "en": "Sino-Singapore Tianjin Eco-City (ecocity)"}}

# Observation kinds of calibration/observed.csv.
KINDS = {
    "actual": {"zh": "实际值", "en": "actual"},
    "estimate": {"zh": "估计值", "en": "estimate"},
    "actual-uncertain-year": {"zh": "实际值（年份不确定）", "en": "actual, year uncertain"},
    "lower-bound": {"zh": "下限值", "en": "lower bound"},
    "target": {"zh": "目标", "en": "target"},
}

# Identifiability statuses of calibration/fit.yaml.
IDENT = {"identified": {"zh": "可识别", "en": "identified"},
         "prior-dominated": {"zh": "先验主导", "en": "prior-dominated"}}

# Column heads of calibration/fit_table.csv and of the MAP residuals.
FIT_HEADS = {
    "series": ("序列", "series"), "sample": ("样本", "sample"), "n": ("点数", "n"), "years": ("年份", "years"),
    "observed": ("观测值", "observed"), "model": ("模型", "model"), "baseline": ("基准", "baseline"),
    "model_mape": ("模型 MAPE", "model MAPE"), "baseline_mape": ("基准 MAPE", "baseline MAPE"),
    "model_theil_u": ("模型 Theil U", "model Theil U"), "baseline_theil_u": ("基准 Theil U", "baseline Theil U"),
    "model_r2": ("模型 R²", "model R²"), "baseline_r2": ("基准 R²", "baseline R²"), "year": ("年份", "year"),
    "map": ("MAP 模型值", "MAP"), "sigma": ("σ", "sigma"), "z": ("z", "z"),
    "in": ("样本内", "in"), "out": ("样本外", "out"),
}
# Row heads of the calibration summary (keys of fit.yaml).
FIT_KEYS = {"likelihood": ("似然", "likelihood"), "priors": ("先验", "priors"), "data": ("数据", "data"),
            "map": ("MAP 拟合", "MAP"), "sampler": ("抽样器", "sampler"), "diagnostics": ("诊断", "diagnostics"),
            "settings": ("设置", "settings")}

# Fields inside fit.yaml's settings, data, MAP and diagnostics (others are shown as written).
FIT_FIELDS = {
    "until": ("数据截至年份", "until"), "draws": ("后验抽样数", "draws"), "seed": ("随机种子", "seed"),
    "walkers": ("游走者", "walkers"), "steps": ("步数", "steps"), "burn": ("预烧步数", "burn"),
    "burn_in": ("预烧步数", "burn-in"), "starts": ("起点数", "starts"), "max_nfev": ("最大函数评估次数", "max_nfev"),
    "threshold": ("阈值", "threshold"), "observations": ("观测数", "observations"), "series": ("序列数", "series"),
    "years": ("年份", "years"), "parameters": ("参数数", "parameters"), "chi2": ("χ²", "chi2"),
    "cost_with_prior_penalty": ("含先验惩罚的代价", "cost with prior penalty"),
    "function_evaluations": ("函数评估次数", "function evaluations"),
    "jacobian_evaluations": ("雅可比评估次数", "Jacobian evaluations"), "kept_samples": ("保留样本", "kept samples"),
    "posterior_draws_saved": ("保存的后验抽样", "posterior draws saved"),
    "acceptance_mean": ("平均接受率", "mean acceptance"), "acceptance_min": ("最低接受率", "min acceptance"),
    "acceptance_max": ("最高接受率", "max acceptance"), "tau_mean": ("平均自相关时间", "mean tau"),
    "tau_max": ("最大自相关时间", "max tau"),
    "kept_steps_over_tau_max": ("保留步数/最大自相关时间", "kept steps / max tau"),
    "ess_min": ("最小有效样本量", "min ESS"), "rhat_max": ("最大 R-hat", "max R-hat"),
    "rhat_median": ("R-hat 中位数", "median R-hat"), "converged": ("已收敛", "converged"),
    "engine_calls": ("引擎调用次数", "engine calls"), "members_simulated": ("模拟成员数", "members simulated"),
    "particles": ("粒子数", "particles"), "runs": ("独立运行次数", "runs"), "jump": ("跳跃尺度", "jump"),
    "final_jump": ("最终跳跃尺度", "final jump"), "ess_fraction": ("有效样本比例", "ESS fraction"),
    "lower_bounds": ("下界观测数", "lower bounds"), "discrepancy_groups": ("模型偏差组数", "discrepancy groups"),
    "note": ("说明（原文）", "note"), "goal": ("收敛标准（原文）", "goal"), "scope": ("适用范围（原文）", "scope"),
    "ess_bulk_min": ("最小有效样本量", "min bulk ESS"),
    "log_evidence": ("对数证据", "log evidence"), "log_evidence_se": ("对数证据标准误", "log evidence s.e."),
    "true": ("是", "true"), "false": ("否", "false"),
}

"""Phrases of the report sections on structural uncertainty and loop dominance (:mod:`.dominance`), zh and en.

Merged into :data:`innosd.report.phrases.S`; keys as there.
"""

from __future__ import annotations

S = {
    "struct_none": {"zh": "本次运行的模型没有声明结构开关（calibration/parameters.yaml 的 structures），"
                           "只有一种结构。",
                    "en": "The run's model declares no structure switch (structures in calibration/parameters.yaml): "
                          "one structure only."},
    "struct_intro": {"zh": "认定机制有两种表述：固定比例（每级按固定比例从合"
                           "格企业中认定，2020年雏鹰跃升为持续期不确定的"
                           "外生机制）与目标寻求（常规认定加上向规划目标推进的力度，以上一年公布的名录为准）。两者各自校准，"
                           "按证据（对数边际似然）加权；本次运行的成员构成：{shares}。",
                     "en": "Recognition into the registers has two formulations: fixed shares (each tier recognises a "
                           "fixed share of its eligible firms; the 2020 jump of 雏鹰 an exogenous regime of uncertain "
                           "persistence) and goal seeking (a routine share plus a push towards the plan target, on the "
                           "register as last published). Each is calibrated on its own and weighed by its evidence "
                           "(log marginal likelihood); the run's members: {shares}."},
    "struct_spread": {"zh": "差距", "en": "spread"},
    "struct_note": {"zh": "P(达成) 为合并概率（各结构成员按权重混合）；各结构列为仅该结构成员的达成概率（targets.csv "
                          "中每种结构一列）。差距不小于 0.2 时，结论取决于哪种认定机制成立。",
                    "en": "P(met) combines the structures (members drawn by their weights); each structure's column is "
                          "P(met) over its members alone (targets.csv, p_met_<structure>). Where the spread is 0.2 or "
                          "more the verdict rests on which formulation of recognition is right."},
    "struct_name_fixed_share": {"zh": "固定比例", "en": "fixed shares"},
    "struct_name_goal_seeking": {"zh": "目标寻求", "en": "goal seeking"},
    "loops_missing": {"zh": "运行文件夹中没有 loops.csv。运行 `{command}`（或 `innosd run … --loops`）以计算回路主导。",
                      "en": "The run folder has no loops.csv. Run `{command}` (or `innosd run … --loops`) to score "
                            "the loops."},
    "loops_intro": {"zh": "按 Loops That Matter 方法（Schoenberg "
                          "等 2020）对 {n} 个成员的每条反馈回路（不超过 20 个变量）"
                          "打分：某指标的相对回路得分为该回路得分除以驱动该指标的所有回路得分绝对值之和，符号即回路在该时段的"
                          "极性，大小即其在指标行为中的份额。下图为各年成员中位数（增强回路在零线以上，调节回路在零线以下），"
                          "上方标出每年的主导回路。",
                    "en": "Every feedback loop (up to 20 variables) scored by Loops That Matter (Schoenberg et al. "
                          "2020) over {n} members: a loop's relative score for an indicator is its loop score over the "
                          "sum of the absolute scores of the loops that drive the indicator; its sign is the loop's "
                          "polarity at work, its size the loop's share of the behaviour. The chart shows the member "
                          "median per year (reinforcing loops above zero, balancing below), the dominant loop of "
                          "each year on top."},
    "loops_indicator": {"zh": "指标", "en": "Indicator"},
    "loops_years": {"zh": "年份", "en": "Years"},
    "loops_loop": {"zh": "主导回路", "en": "Dominant loop"},
    "loops_score": {"zh": "相对得分", "en": "Rel. score"},
    "loops_share": {"zh": "主导成员占比", "en": "Dominant in"},
    "loops_path": {"zh": "回路路径", "en": "Path"},
    "loops_none": {"zh": "无反馈回路驱动（"
                         "仅由政策杠杆决定）", "en": "no feedback loop drives it (set by levers alone)"},
    "loops_reinforcing": {"zh": "增强", "en": "reinforcing"},
    "loops_balancing": {"zh": "调节", "en": "balancing"},
    "loops_undetermined": {"zh": "极性未定", "en": "undetermined"},
    "loops_by_structure": {"zh": "按模型结构分列的主导回路（前三个时段）：",
                           "en": "Dominant loops by model structure (first three periods):"},
    "loops_note": {"zh": "回路名称（R…增强、B…调节、U…极性未定）与 model"
                         "/README.md 及模型图一致；完整结果见运行文件夹的 "
                         "loops.csv。",
                   "en": "Loop names (R… reinforcing, B… balancing, U… undetermined) are those of model/README.md and "
                         "the diagrams; loops.csv in the run folder has every row."},
    "mod_loops_more": {"zh": "……另有 {n} 条（见 model/README.md）",
                       "en": "… and {n} more (model/README.md, `innosd describe`)"},
}

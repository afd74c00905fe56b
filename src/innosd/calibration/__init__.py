"""Calibration of the Tianjin model to calibration/observed.csv, as of a data vintage.

Modules, one job each:

* ``priors``            - parameters.yaml -> uniform / loguniform priors and the u (prior CDF) / z (logit) coordinates
* ``measurement``       - measurement.yaml -> which observation meets which model variable, its sigma, censoring,
                          discrepancy group; the vintage cut (``until``)
* ``likelihood``        - the one likelihood (measurement + model discrepancy, censored lower bounds), batched
* ``fit``               - MAP by bounded least squares, finite-difference Jacobian in one engine pass
* ``smc``               - SMC with adaptive tempering over whole particle populations; R-hat/ESS across runs (arviz)
* ``calibrate``         - the pipeline: vintage -> MAP -> independent SMC runs -> pooled posterior
* ``summary``           - posterior.csv, fit.yaml, fit_table.csv and the terminal summary
* ``stats``             - fit statistics (R², MAPE, RMSE, Theil decomposition) and identifiability
* ``baseline``          - the naive log-linear trend
* ``forecast``          - predictive draws and the indicator quantiles of ``innosd forecast``
* ``backtest``          - rolling-origin backtest: coverage, CRPS, interval score, PIT against two baselines
* ``prior_sensitivity`` - how each target's P(met) moves when the priors are widened or narrowed

The commands are in :mod:`innosd.cli.calibration`.
"""

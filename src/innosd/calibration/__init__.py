"""Calibration of the Tianjin model to calibration/observed.csv.

Modules, one job each:

* ``priors``      - parameters.yaml -> uniform / loguniform priors and the u (prior CDF) / z (logit) coordinates
* ``measurement`` - measurement.yaml -> which observation meets which model variable, with which sigma
* ``likelihood``  - the one likelihood, log(obs) ~ Normal(log(model), sigma), batched over parameter sets
* ``fit``         - MAP by bounded least squares, finite-difference Jacobian in one engine pass
* ``mcmc``        - emcee sampling (vectorised) and diagnostics (acceptance, tau, split R-hat)
* ``stats``       - fit statistics (R², MAPE, RMSE, Theil decomposition) and identifiability
* ``baseline``    - the naive log-linear trend
* ``calibrate``   - the pipeline and its outputs (posterior.csv, fit.yaml, fit_table.csv)
* ``forecast``    - predictive quantiles and out-of-sample scores
* ``commands``    - the `innosd calibrate` and `innosd forecast` commands
"""

"""The referral model: features, estimator, training and evaluation (no MLflow here)."""

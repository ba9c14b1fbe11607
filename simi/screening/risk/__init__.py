"""The risk score (issue 6 items 5 and 7): features from SIMI's own history,
an explainable L2-regularized logistic regression in pure Python, versioned
models, scoring in the flows, the model card and the fairness and drift report.

A risk score is a lead for a human reviewer, never a decision.
"""

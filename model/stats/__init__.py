"""Statistics: survival, Cox models, endpoints, response rates, agreement, and the paper's tables."""  # noqa: E501

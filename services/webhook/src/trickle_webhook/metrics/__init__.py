"""The webhook service's own figures: deliveries by outcome, endpoints failing and how close to being disabled.

``figures.py`` defines them; the delivery worker counts each recorded attempt (``count_recorded``);
``sampler.py`` is the worker task that reads the endpoints' health every ``metrics_sample_interval_s``.
"""

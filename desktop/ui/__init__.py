"""The Qt layer: widgets, item models, workers. Talks to the domain only through
``desktop.core.services``."""

"""Views as data: the view model, one registry of views and pages, shared map specs and texts,
and one module per view.
"""

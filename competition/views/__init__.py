"""Views of the competition app, one module per area of the flow."""

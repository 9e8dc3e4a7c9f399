"""data import page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("data_import", ["incidents","reservoir_readings"])

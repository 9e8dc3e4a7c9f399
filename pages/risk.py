"""risk page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("risk", ["grid_cells","geo_hazard_points","sensors","reservoir_readings"])

"""resources page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("resources", ["rescue_teams","shelters","cameras","sensors","reservoirs"])

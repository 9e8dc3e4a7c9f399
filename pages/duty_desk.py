"""duty desk page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("duty_desk", ["duty_roster","dispatches","info_reports","linkage_units"])

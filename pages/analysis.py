"""analysis page (its own issue builds it out)."""
from ui import placeholder

placeholder.render("analysis", ["incidents","dispatches"])

"""Collection for doctests in the package: the datatrove integration needs its extra."""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("datatrove") else ["cleaner/integrations/datatrove.py"]

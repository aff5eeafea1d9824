"""officenet: the network integration of Exchange 2013, SharePoint 2013, Lync 2013
and Office Web Apps Server, as data, diagrams and tables.

    >>> import officenet
    >>> design = officenet.load()
    >>> officenet.diagram(design, officenet.View(user_type="roaming_employees"))
"""
from .design import Design
from .errors import DesignError, Problem
from .loader import DEFAULT_DATA_DIR, load

__all__ = ["Design", "DesignError", "Problem", "load", "DEFAULT_DATA_DIR"]

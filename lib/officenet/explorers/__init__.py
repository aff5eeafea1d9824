"""The display wing: every widget and app of officenet, over the pure derivations outside it.

Derivations (tables, diagrams, checks, exports) return data, DataFrames, HTML and figures and never
import ipywidgets; the modules here wrap them in widgets for the notebooks and the Voila app:

- ``base``: the ``Explorer`` base class, drop-downs over a pure rendering function;
- ``overview``, ``gateway``, ``loadbalancing``, ``remoteaccess``, ``walkthrough`` (authentication
  and DNS): one explorer per notebook;
- ``yourdesign``: the scenario form and the your-design app;
- ``exercises``: one form per workshop exercise.

Importing this package loads no widget toolkit; each module loads ipywidgets when imported.
The explorers are also ``officenet.OverviewExplorer``, ``officenet.GatewayExplorer`` and so on.
"""

"""What the lessons teach, for later lessons, exercise checks and tests to import.

Each module here, ``lNN_<topic>.py``, is GENERATED from the ``#@save`` cells of
``notebooks/NN_<topic>.ipynb`` by ``python tools/notebooks.py export``: the
lesson shows (and is the only source of) every definition in it. Edit the
notebook, not the module; a test fails when the two differ.
"""

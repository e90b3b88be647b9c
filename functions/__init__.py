"""The Python Lambdas, one package per function (`functions.<name>.handler`)."""

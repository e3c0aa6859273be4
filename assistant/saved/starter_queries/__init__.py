"""The starter library of saved queries, shipped with the package (one .sql file each)."""

"""The home page: each role's dashboard, with the secretariat's panels over every stream."""

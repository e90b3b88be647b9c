"""Tags every taggable resource must carry."""

"""Reading a site's files: YAML and Markdown with line numbers, validated into the model."""

"""Reading a site's files: YAML and Markdown with line numbers, validated into the model."""

MEDIA_DIR = "content/media"   # files copied as they are to /media/

"""One builder module per source family: catalogue columns of a source as strings, from the world."""

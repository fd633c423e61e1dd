enum PlaceholderRule {}

"""Models of the ${V[$app]} app."""

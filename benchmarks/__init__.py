"""What the template costs its users: render, update, install, check, serve, image size."""

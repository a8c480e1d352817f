"""The template repository's own tools: generators of the docs, examples, releases, adoption."""

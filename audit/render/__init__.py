"""Report renderers: one module per format behind the Renderer protocol of `base`."""

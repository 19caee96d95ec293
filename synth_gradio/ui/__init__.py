"""The Gradio interface. Only this package imports gradio."""

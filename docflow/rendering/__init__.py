"""The renderer wired into the product: a document row mapped to what is printed, previews and the sealed final
copy as PDF over HTTP, the unit's seal image, and the content-addressed store of final copies.

The layout itself is `docflow.render` (pure, no database); this package only gathers the facts a rendering needs
(signer names, attachment titles, the seal) and runs the CPU-bound work on worker threads.
"""

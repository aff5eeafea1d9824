"""The edge: Graphviz (render), files written whole (files, exports, handouts), kernels, and the result
objects that show themselves in Jupyter."""

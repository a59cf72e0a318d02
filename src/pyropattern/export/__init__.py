"""Files for printing and for other tools: print-ready PDF, layered SVG, PNG rasters."""

"""The app's views: one module per part of the page, each a function that draws with Streamlit.

``app.py`` stays the page's table of contents (session start, cached stages, then one call
per part); the parts live here so a new control or view is a new function, not a longer
page script:

- :mod:`.session`: the session-state keys the parts share, and ``say`` (the session's language);
- :mod:`.sidebar`: the controls, one function per step or section, bound to session state;
- :mod:`.images`: the cached PNG previews every view shows;
- :mod:`.legend`, :mod:`.pattern`, :mod:`.tone_map`, :mod:`.burn`, :mod:`.compare`,
  :mod:`.report`: one view each, composed into tabs by :mod:`.tabs`;
- :mod:`.teach`: the burn preview tab's lesson (wood, techniques, burn guide, order,
  colouring, handout and practice sheet), shown by :mod:`.burn`;
- :mod:`.downloads`: the files for the class;
- pattern selection: :mod:`.difficulty` (the badge under the legend), :mod:`.blanks` (the
  product blank picker and its cached clipping stage), :mod:`.variants`, :mod:`.library` and
  :mod:`.classpack` (three more tabs).

Only these modules import Streamlit; the image work they show lives in the library.
"""

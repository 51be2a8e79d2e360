-- The extension installs, and the server found it in the private tree of
-- the build directory (not in the system's directories).
CREATE EXTENSION rulebook;
SELECT extname, extversion, extnamespace::regnamespace FROM pg_extension WHERE extname = 'rulebook';
SELECT name, setting LIKE '%/pg/share/postgresql/%' AS in_build_tree
  FROM pg_config WHERE name = 'SHAREDIR';
SELECT name, setting LIKE '%/pg/lib/postgresql/%' AS in_build_tree
  FROM pg_config WHERE name = 'PKGLIBDIR';
\dx+ rulebook

-- Repeatable: geo: label normalisation for the geocoder cache.
-- Re-applied at set-up whenever this file changes (python -m tranquillite.warehouse migrate);
-- edit the definitions here, never in versioned/. A change of signature or of a view's columns
-- needs a versioned migration that drops the old object first.

-- function geo.normalise_label (first defined in versioned/006_feeds.sql)
-- The key under which an address label is cached: lower case, no accents, no punctuation.
create or replace function geo.normalise_label(label text)
returns text
language sql
immutable
parallel safe
as $$
    select nullif(btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, label)),
        '[^a-z0-9]+', ' ', 'g')), '')
$$;

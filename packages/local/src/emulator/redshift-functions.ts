/**
 * Redshift functions PostgreSQL lacks, installed in every emulated database at start-up
 * (idempotent: `CREATE OR REPLACE`): GETDATE, DATEADD, DATEDIFF, CONVERT_TIMEZONE, LEN, NVL2 and
 * TRUNC(timestamp). The dialect translation turns the date part word of
 * DATEADD/DATEDIFF into a string literal so these signatures apply. Semantics follow the
 * Redshift Database Developer Guide: GETDATE is the current statement time in UTC truncated to
 * seconds; DATEDIFF counts part boundaries crossed; CONVERT_TIMEZONE without a source zone
 * assumes UTC.
 */
export const REDSHIFT_FUNCTIONS_SQL = `
CREATE OR REPLACE FUNCTION getdate() RETURNS timestamp LANGUAGE sql STABLE AS
$$ SELECT date_trunc('second', statement_timestamp() AT TIME ZONE 'UTC') $$;

CREATE OR REPLACE FUNCTION stepshift_date_part_interval(part text) RETURNS interval LANGUAGE sql IMMUTABLE AS $$
SELECT CASE lower(part)
  WHEN 'year' THEN interval '1 year' WHEN 'years' THEN interval '1 year' WHEN 'y' THEN interval '1 year'
  WHEN 'yr' THEN interval '1 year' WHEN 'yrs' THEN interval '1 year'
  WHEN 'quarter' THEN interval '3 months' WHEN 'quarters' THEN interval '3 months' WHEN 'qtr' THEN interval '3 months'
  WHEN 'qtrs' THEN interval '3 months'
  WHEN 'month' THEN interval '1 month' WHEN 'months' THEN interval '1 month' WHEN 'mon' THEN interval '1 month'
  WHEN 'mons' THEN interval '1 month'
  WHEN 'week' THEN interval '7 days' WHEN 'weeks' THEN interval '7 days' WHEN 'w' THEN interval '7 days'
  WHEN 'day' THEN interval '1 day' WHEN 'days' THEN interval '1 day' WHEN 'd' THEN interval '1 day'
  WHEN 'hour' THEN interval '1 hour' WHEN 'hours' THEN interval '1 hour' WHEN 'h' THEN interval '1 hour'
  WHEN 'hr' THEN interval '1 hour' WHEN 'hrs' THEN interval '1 hour'
  WHEN 'minute' THEN interval '1 minute' WHEN 'minutes' THEN interval '1 minute' WHEN 'm' THEN interval '1 minute'
  WHEN 'min' THEN interval '1 minute' WHEN 'mins' THEN interval '1 minute'
  WHEN 'second' THEN interval '1 second' WHEN 'seconds' THEN interval '1 second' WHEN 's' THEN interval '1 second'
  WHEN 'sec' THEN interval '1 second' WHEN 'secs' THEN interval '1 second'
  WHEN 'millisecond' THEN interval '1 millisecond' WHEN 'milliseconds' THEN interval '1 millisecond'
  WHEN 'ms' THEN interval '1 millisecond' WHEN 'msec' THEN interval '1 millisecond'
  WHEN 'microsecond' THEN interval '1 microsecond' WHEN 'microseconds' THEN interval '1 microsecond'
  WHEN 'us' THEN interval '1 microsecond' WHEN 'usec' THEN interval '1 microsecond'
END $$;

CREATE OR REPLACE FUNCTION stepshift_canonical_part(part text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
SELECT CASE stepshift_date_part_interval(part)
  WHEN interval '1 year' THEN 'year' WHEN interval '3 months' THEN 'quarter' WHEN interval '1 month' THEN 'month'
  WHEN interval '7 days' THEN 'week' WHEN interval '1 day' THEN 'day' WHEN interval '1 hour' THEN 'hour'
  WHEN interval '1 minute' THEN 'minute' WHEN interval '1 second' THEN 'second'
  WHEN interval '1 millisecond' THEN 'millisecond' WHEN interval '1 microsecond' THEN 'microsecond'
END $$;

CREATE OR REPLACE FUNCTION dateadd(part text, amount bigint, ts timestamp) RETURNS timestamp LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE step interval := stepshift_date_part_interval(part);
BEGIN
  IF step IS NULL THEN RAISE EXCEPTION 'dateadd: unsupported date part "%"', part USING ERRCODE = '22023'; END IF;
  RETURN ts + amount * step;
END $$;

CREATE OR REPLACE FUNCTION datediff(part text, a timestamp, b timestamp) RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE canonical text := stepshift_canonical_part(part);
BEGIN
  CASE canonical
    WHEN 'year' THEN RETURN extract(year FROM b)::bigint - extract(year FROM a)::bigint;
    WHEN 'quarter' THEN RETURN (extract(year FROM b)::bigint * 4 + extract(quarter FROM b)::bigint)
      - (extract(year FROM a)::bigint * 4 + extract(quarter FROM a)::bigint);
    WHEN 'month' THEN RETURN (extract(year FROM b)::bigint * 12 + extract(month FROM b)::bigint)
      - (extract(year FROM a)::bigint * 12 + extract(month FROM a)::bigint);
    WHEN 'week' THEN RETURN (date_trunc('week', b)::date - date_trunc('week', a)::date) / 7;
    WHEN 'day' THEN RETURN b::date - a::date;
    WHEN 'hour' THEN RETURN (extract(epoch FROM date_trunc('hour', b) - date_trunc('hour', a)) / 3600)::bigint;
    WHEN 'minute' THEN RETURN (extract(epoch FROM date_trunc('minute', b) - date_trunc('minute', a)) / 60)::bigint;
    WHEN 'second' THEN RETURN extract(epoch FROM date_trunc('second', b) - date_trunc('second', a))::bigint;
    WHEN 'millisecond' THEN RETURN (extract(epoch FROM date_trunc('milliseconds', b) - date_trunc('milliseconds', a)) * 1000)::bigint;
    WHEN 'microsecond' THEN RETURN (extract(epoch FROM b - a) * 1000000)::bigint;
    ELSE RAISE EXCEPTION 'datediff: unsupported date part "%"', part USING ERRCODE = '22023';
  END CASE;
END $$;

CREATE OR REPLACE FUNCTION len(value text) RETURNS integer LANGUAGE sql IMMUTABLE AS
$$ SELECT length(value) $$;

CREATE OR REPLACE FUNCTION nvl2(value anyelement, if_not_null anycompatible, if_null anycompatible)
RETURNS anycompatible LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN value IS NOT NULL THEN if_not_null ELSE if_null END $$;

CREATE OR REPLACE FUNCTION trunc(ts timestamp) RETURNS date LANGUAGE sql IMMUTABLE AS
$$ SELECT ts::date $$;

CREATE OR REPLACE FUNCTION convert_timezone(target_zone text, ts timestamp) RETURNS timestamp LANGUAGE sql STABLE AS
$$ SELECT (ts AT TIME ZONE 'UTC') AT TIME ZONE target_zone $$;

CREATE OR REPLACE FUNCTION convert_timezone(source_zone text, target_zone text, ts timestamp) RETURNS timestamp LANGUAGE sql STABLE AS
$$ SELECT (ts AT TIME ZONE source_zone) AT TIME ZONE target_zone $$;
`;

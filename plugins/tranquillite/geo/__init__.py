"""Geography: the geocoder client and cache, the administrative zones."""

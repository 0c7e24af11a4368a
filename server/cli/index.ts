// The cli room's door: what other rooms, app/ and components/ may import from it.

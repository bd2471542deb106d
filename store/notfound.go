package store

// ticketNotFoundError names a missing ticket and matches ErrNotFound.
type ticketNotFoundError struct{ number Number }

func (e ticketNotFoundError) Error() string { return "ticket " + e.number.String() + " not found" }

func (e ticketNotFoundError) Unwrap() error { return ErrNotFound }

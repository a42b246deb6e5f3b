package store

import "context"

// ReadSetting is the value of a PostgreSQL run-time setting as the
// store's read connections see it (SHOW name).
func (s *Store) ReadSetting(ctx context.Context, name string) (string, error) {
	var v string
	err := s.auxRead(ctx, "show", func(c conn) error {
		var err error
		v, _, err = queryOne(ctx, c, "SHOW "+name)
		return err
	})
	return v, err
}

// PgMaxConns is the most PostgreSQL connections a store reads on at once.
func PgMaxConns() int { return pgMaxConns() }

// HoldReads takes n read connections, until release.
func (s *Store) HoldReads(ctx context.Context, n int) (release func(), err error) {
	_, release, err = s.readConns(ctx, n)
	return release, err
}

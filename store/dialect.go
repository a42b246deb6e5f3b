package store

import (
	"strconv"
	"time"
)

// dialect is what differs between SQLite and PostgreSQL. The SQL itself is
// the same except for the few places listed here.
type dialect struct {
	name  string // Driver()
	title string // for messages

	// placeholder is the n-th (1-based) parameter of a generated
	// statement. SQLite gets anonymous "?" parameters there: the driver
	// looks every named parameter up in a list, which is quadratic in a
	// 5,000-parameter statement. Hand-written statements use $1, which
	// both accept.
	placeholder func(n int) string

	// insert begins an upsert. On SQLite, OR FAIL keeps a failing
	// statement from being undone by itself (the Tx is abandoned anyway),
	// which spares SQLite a statement journal: a copy of every page a
	// multi-row statement touches.
	insert string

	// maxParams is the most parameters one statement may carry.
	maxParams int

	// lockRow is appended to the SELECT of Tx.Get: a read in a write
	// transaction locks the row until commit. SQLite needs nothing: a
	// write transaction holds the database's write lock from BEGIN.
	lockRow string

	// instant is the value bound for a time.Time column.
	instant func(t time.Time) any

	// now is the SQL expression for updated_at in a write; ts is the
	// transaction's start time.
	now func(ts time.Time) string
}

// sqliteInstant is how an instant is held in a SQLite TEXT column: RFC 3339
// in UTC with a fixed nine-digit fraction, so that text order is time order.
const sqliteInstant = "2006-01-02T15:04:05.000000000Z"

var sqliteDialect = &dialect{
	name:        SQLite,
	title:       "SQLite",
	placeholder: func(int) string { return "?" },
	insert:      "INSERT OR FAIL INTO",
	maxParams:   32766, // SQLITE_MAX_VARIABLE_NUMBER since 3.32
	instant:     func(t time.Time) any { return t.UTC().Format(sqliteInstant) },
	now: func(ts time.Time) string {
		return "'" + ts.UTC().Format("2006-01-02T15:04:05.000Z") + "'"
	},
}

var postgresDialect = &dialect{
	name:        Postgres,
	title:       "PostgreSQL",
	placeholder: func(n int) string { return "$" + strconv.Itoa(n) },
	insert:      "INSERT INTO",
	maxParams:   65535,
	lockRow:     " FOR UPDATE",
	instant:     func(t time.Time) any { return t },
	now:         func(time.Time) string { return "now()" },
}

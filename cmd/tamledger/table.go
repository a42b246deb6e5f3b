package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// Text for terminals. Every line a command prints for people fits in
// tableWidth display columns and ends without a space; every value read from
// the store or the command line goes through printable, so a name or a title
// can never move the cursor, clear the screen or change the colours.

// tableWidth is the width, in display columns, that every table and message
// of these commands fits in.
const tableWidth = 100

// printable returns s with what a terminal would act on instead of showing
// escaped: a tab as \t, NUL as \x00, the other C0 controls, DEL and the C1
// controls as \xNN (the code point), each byte of invalid UTF-8 as \xNN, and
// the invisible characters that reorder or break text (bidirectional
// overrides and isolates, line and paragraph separators) as \uNNNN. A
// printable string comes back unchanged (and unallocated).
func printable(s string) string {
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if escapeRune(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case escapeRune(r, n):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// escapeRune reports whether printable escapes r (n bytes long in its
// string).
func escapeRune(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1: // invalid UTF-8
		return true
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// displayWidth is the number of terminal columns s takes: two for East Asian
// wide and full-width characters, none for combining marks and other
// zero-width characters, one otherwise. The ambiguous-width symbols the
// tables use (● ◐ ✗ … – ×) count one, as in Western terminals.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	switch {
	case r < 0x300:
		return 1
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case wide(r):
		return 2
	}
	return 1
}

// wideRanges are the East Asian Wide and Fullwidth blocks (Unicode 15, the
// large ones), and the emoji terminals draw two columns wide.
var wideRanges = [][2]rune{
	{0x1100, 0x115f}, {0x231a, 0x231b}, {0x2329, 0x232a}, {0x23e9, 0x23ec}, {0x23f0, 0x23f0}, {0x23f3, 0x23f3},
	{0x25fd, 0x25fe}, {0x2614, 0x2615}, {0x2648, 0x2653}, {0x267f, 0x267f}, {0x2693, 0x2693}, {0x26a1, 0x26a1},
	{0x26aa, 0x26ab}, {0x26bd, 0x26be}, {0x26c4, 0x26c5}, {0x26ce, 0x26ce}, {0x26d4, 0x26d4}, {0x26ea, 0x26ea},
	{0x26f2, 0x26f3}, {0x26f5, 0x26f5}, {0x26fa, 0x26fa}, {0x26fd, 0x26fd}, {0x2705, 0x2705}, {0x270a, 0x270b},
	{0x2728, 0x2728}, {0x274c, 0x274c}, {0x274e, 0x274e}, {0x2753, 0x2755}, {0x2757, 0x2757}, {0x2795, 0x2797},
	{0x27b0, 0x27b0}, {0x27bf, 0x27bf}, {0x2b1b, 0x2b1c}, {0x2b50, 0x2b50}, {0x2b55, 0x2b55},
	{0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf}, {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xa960, 0xa97f},
	{0xac00, 0xd7a3}, {0xf900, 0xfaff}, {0xfe10, 0xfe19}, {0xfe30, 0xfe6f}, {0xff00, 0xff60}, {0xffe0, 0xffe6},
	{0x16fe0, 0x18cff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004}, {0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e},
	{0x1f191, 0x1f19a}, {0x1f200, 0x1f2ff}, {0x1f300, 0x1f64f}, {0x1f680, 0x1f6ff}, {0x1f7e0, 0x1f7eb},
	{0x1f90c, 0x1f9ff}, {0x1fa70, 0x1faff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
}

func wide(r rune) bool {
	_, found := slices.BinarySearchFunc(wideRanges, r, func(rg [2]rune, r rune) int {
		switch {
		case rg[1] < r:
			return -1
		case rg[0] > r:
			return 1
		}
		return 0
	})
	return found
}

// clip shortens s to at most n display columns, ending it with "…" when
// something was cut.
func clip(s string, n int) string {
	if displayWidth(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > n-1 {
			return s[:i] + "…"
		}
		w += rw
	}
	return s
}

// padRight pads s with spaces to n display columns (text aligned left).
func padRight(s string, n int) string {
	if w := displayWidth(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}

// padLeft pads s with spaces in front to n display columns (numbers aligned
// right).
func padLeft(s string, n int) string {
	if w := displayWidth(s); w < n {
		return strings.Repeat(" ", n-w) + s
	}
	return s
}

// wrap breaks text into lines of at most width display columns at spaces; a
// word longer than a line is cut across lines. Runs of spaces count as one.
func wrap(text string, width int) []string {
	width = max(width, 1)
	var lines []string
	line, lineWidth := "", 0
	for _, word := range strings.Fields(text) {
		ww := displayWidth(word)
		switch {
		case line == "":
		case lineWidth+1+ww <= width:
			line += " " + word
			lineWidth += 1 + ww
			continue
		default:
			lines = append(lines, line)
		}
		for ww > width { // a word that fits no line
			head := cutWidth(word, width)
			lines = append(lines, head)
			word = word[len(head):]
			ww = displayWidth(word)
		}
		line, lineWidth = word, ww
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// cutWidth is the longest prefix of s that fits in n columns (at least one
// rune).
func cutWidth(s string, n int) string {
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > n && i > 0 {
			return s[:i]
		}
		w += rw
	}
	return s
}

// writeWrapped writes text as a paragraph in tableWidth columns: the first
// line after first, the others after rest (the indents).
func writeWrapped(b *strings.Builder, first, rest, text string) {
	lines := wrap(printable(text), tableWidth-max(displayWidth(first), displayWidth(rest)))
	if len(lines) == 0 {
		b.WriteString(strings.TrimRight(first, " ") + "\n")
		return
	}
	for i, l := range lines {
		if i == 0 {
			b.WriteString(first + l + "\n")
		} else {
			b.WriteString(rest + l + "\n")
		}
	}
}

// writeIndented writes one line of an indented listing (the tier arithmetic
// of a fee) after indent, keeping the line's own leading spaces; a line too
// long for tableWidth goes on under itself, four columns further in.
func writeIndented(b *strings.Builder, indent, line string) {
	text := strings.TrimLeft(line, " ")
	lead := indent + line[:len(line)-len(text)]
	writeWrapped(b, lead, lead+"    ", text)
}

// column describes one column of a table.
type column struct {
	title string
	right bool // aligned right (numbers)
	// min > 0 marks free text: when a row would be wider than the table, the
	// cell is clipped with "…" (or wrapped, below), down to min columns.
	// Such columns give way from the last to the first.
	min  int
	wrap bool // wrapped onto more lines instead of clipped
}

// The columns of a table: a fixed value aligned left, a number aligned
// right, free text clipped to fit, free text wrapped to fit.
func fixedCol(title string) column          { return column{title: title} }
func numCol(title string) column            { return column{title: title, right: true} }
func textCol(title string, min int) column  { return column{title: title, min: min} }
func proseCol(title string, min int) column { return column{title: title, min: min, wrap: true} }

// table lays rows out in columns two spaces apart, in tableWidth columns
// with the indent, every cell through printable, no trailing spaces. A table
// whose columns all have empty titles has no header line.
type table struct {
	indent string
	cols   []column
	rows   [][]string
}

func newTable(cols ...column) *table { return &table{cols: cols} }

// add appends a row; missing cells are empty.
func (t *table) add(cells ...string) {
	row := make([]string, len(t.cols))
	for i := range row {
		if i < len(cells) {
			row[i] = printable(cells[i])
		}
	}
	t.rows = append(t.rows, row)
}

// widths computes each column's width: its widest cell, then narrowed,
// free-text columns last to first, until the table fits.
func (t *table) widths() []int {
	ws := make([]int, len(t.cols))
	for i, c := range t.cols {
		ws[i] = displayWidth(c.title)
	}
	for _, row := range t.rows {
		for i, cell := range row {
			ws[i] = max(ws[i], displayWidth(cell))
		}
	}
	total := func() int {
		n := displayWidth(t.indent)
		for i, w := range ws {
			if i > 0 {
				n += 2
			}
			n += w
		}
		return n
	}
	for _, floor := range []func(c column) int{
		func(c column) int { return c.min }, // first down to each column's minimum
		func(c column) int { return 4 },     // then further, rather than overflow
	} {
		for i := len(t.cols) - 1; i >= 0 && total() > tableWidth; i-- {
			if c := t.cols[i]; c.min > 0 {
				ws[i] -= min(total()-tableWidth, max(ws[i]-floor(c), 0))
			}
		}
	}
	return ws
}

// write prints the table.
func (t *table) write(w io.Writer) error {
	var b strings.Builder
	t.render(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// render appends the table to b.
func (t *table) render(b *strings.Builder) {
	ws := t.widths()
	line := func(cells []string) {
		parts := make([][]string, len(cells)) // each cell's lines
		n := 1
		for i, cell := range cells {
			c := t.cols[i]
			switch {
			case c.wrap && displayWidth(cell) > ws[i]:
				parts[i] = wrap(cell, ws[i])
			case c.min > 0:
				parts[i] = []string{clip(cell, ws[i])}
			default:
				parts[i] = []string{cell}
			}
			n = max(n, len(parts[i]))
		}
		for k := range n {
			var l strings.Builder
			l.WriteString(t.indent)
			for i, p := range parts {
				if i > 0 {
					l.WriteString("  ")
				}
				cell := ""
				if k < len(p) {
					cell = p[k]
				}
				if t.cols[i].right {
					l.WriteString(padLeft(cell, ws[i]))
				} else {
					l.WriteString(padRight(cell, ws[i]))
				}
			}
			b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
		}
	}
	header := make([]string, len(t.cols))
	hasHeader := false
	for i, c := range t.cols {
		header[i] = c.title
		hasHeader = hasHeader || c.title != ""
	}
	if hasHeader {
		line(header)
	}
	for _, row := range t.rows {
		line(row)
	}
}

// formatFor checks -o for a command whose output is not a table (export,
// schema): without -o it is def; with -o it must be one of allowed.
func (a *app) formatFor(cmd *cobra.Command, def string, allowed ...string) (string, error) {
	if f := cmd.Flags().Lookup("output"); f == nil || !f.Changed {
		return def, nil
	}
	if slices.Contains(allowed, a.output) {
		return a.output, nil
	}
	return "", usageError(fmt.Errorf("unknown output format %q for %s (want %s)", a.output, cmd.CommandPath(), strings.Join(allowed, " or ")))
}

//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its terminal end.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("no pseudo-terminal here: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	go io.Copy(io.Discard, master) // what the program writes to the terminal, read so it never blocks
	if err := unix.IoctlSetPointerInt(int(master.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(master.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	return tty
}

// A PDF is not written to a terminal: exit 2 and what to do instead.
func TestRenderPDFRefusesATerminal(t *testing.T) {
	dsn := scoreStore(t)
	tty := openPTY(t)
	var errOut strings.Builder
	code := run(t.Context(), []string{"--db", dsn, "render", "ebr", "--org", "acme", "--as-of", "2026-05-20", "-o", "pdf"}, strings.NewReader(""), tty, &errOut)
	if want := "will not write a PDF to the terminal: give --file PATH, or redirect standard output (> ebr.pdf)"; code != 2 || !strings.Contains(errOut.String(), want) {
		t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errOut.String(), want)
	}
	// Markdown goes to the terminal as before.
	errOut.Reset()
	if code := run(t.Context(), []string{"--db", dsn, "render", "ebr", "--org", "acme", "--as-of", "2026-05-20"}, strings.NewReader(""), tty, &errOut); code != 0 {
		t.Errorf("markdown to a terminal: exit %d: %s", code, errOut.String())
	}
}

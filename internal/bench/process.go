package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// BuildBinary builds the tamledger command as it is released (go build
// with CGO_ENABLED=0: a static binary, which starts about 6 ms sooner here
// than one linked against the C library) into dir and returns the path of
// the binary. It runs the go command of PATH
// (else of GOROOT) in the current directory, which must be inside the
// module.
func BuildBinary(ctx context.Context, dir string) (string, error) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		gocmd = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(dir, "tamledger")
	cmd := exec.CommandContext(ctx, gocmd, "build", "-o", bin, "github.com/tamledger/tamledger/cmd/tamledger")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out.Bytes())
	}
	return bin, nil
}

// Proc is one run of a process.
type Proc struct {
	Wall time.Duration // from start to exit, as seen by the parent
	CPU  time.Duration // user + system time of the process (rusage)

	// Memory, sampled from /proc/PID/status every 5 ms (zero where there
	// is no /proc), in bytes. The child's rusage is no use for this: Go
	// starts it with vfork semantics, and Linux carries the parent's peak
	// RSS into the child's ru_maxrss. MaxRSS is the peak resident set
	// (VmHWM); MaxAnon the largest anonymous part (Go heap, stacks,
	// SQLite's page caches); MaxFile the largest file-backed part, mostly
	// the memory-mapped database, counted once per mapping (each SQLite
	// connection maps the file) although its pages are the kernel's page
	// cache, shared and reclaimable.
	MaxRSS, MaxAnon, MaxFile int64

	Stdout []byte // when captured
}

// Run runs bin with args, its standard output to /dev/null unless capture
// is set, and measures it. A non-zero exit is an error that holds the
// standard error.
func Run(ctx context.Context, capture bool, bin string, args ...string) (Proc, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	var stdout, stderr bytes.Buffer
	if capture {
		cmd.Stdout = &stdout
	}
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Proc{}, err
	}
	done := make(chan memory)
	stopSampling := make(chan struct{})
	go func() { done <- sampleMemory(cmd.Process.Pid, stopSampling) }()
	err := cmd.Wait()
	p := Proc{Wall: time.Since(start)}
	close(stopSampling)
	mem := <-done
	p.MaxRSS, p.MaxAnon, p.MaxFile = mem.hwm, mem.anon, mem.file
	if err != nil {
		return p, fmt.Errorf("%s %v: %v\n%s", filepath.Base(bin), args, err, stderr.Bytes())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		p.CPU = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if capture {
		p.Stdout = stdout.Bytes()
	}
	return p, nil
}

// memory is what sampling /proc/PID/status found: the largest VmHWM,
// RssAnon and RssFile seen, in bytes.
type memory struct{ hwm, anon, file int64 }

// sampleMemory reads /proc/pid/status every 5 ms until stop is closed.
func sampleMemory(pid int, stop <-chan struct{}) memory {
	path := fmt.Sprintf("/proc/%d/status", pid)
	var m memory
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		if b, err := os.ReadFile(path); err == nil {
			for line := range strings.Lines(string(b)) {
				k, v, ok := strings.Cut(line, ":")
				if !ok {
					continue
				}
				var dst *int64
				switch k {
				case "VmHWM":
					dst = &m.hwm
				case "RssAnon":
					dst = &m.anon
				case "RssFile":
					dst = &m.file
				default:
					continue
				}
				if f := strings.Fields(v); len(f) > 0 {
					if kib, err := strconv.ParseInt(f[0], 10, 64); err == nil {
						*dst = max(*dst, kib*1024)
					}
				}
			}
		}
		select {
		case <-stop:
			return m
		case <-t.C:
		}
	}
}

// CPUTime is the user + system time of this process so far.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// Sample is repeated measurements of one thing.
type Sample struct {
	Wall, CPU []time.Duration
	// The largest seen.
	MaxRSS, MaxAnon, MaxFile int64
}

func (s *Sample) Add(wall, cpu time.Duration) {
	s.Wall = append(s.Wall, wall)
	s.CPU = append(s.CPU, cpu)
}

func (s *Sample) AddProc(p Proc) {
	s.Add(p.Wall, p.CPU)
	s.MaxRSS = max(s.MaxRSS, p.MaxRSS)
	s.MaxAnon = max(s.MaxAnon, p.MaxAnon)
	s.MaxFile = max(s.MaxFile, p.MaxFile)
}

// Median wall time.
func (s *Sample) Median() time.Duration { return median(s.Wall) }

// Min wall time.
func (s *Sample) Min() time.Duration { return slices.Min(s.Wall) }

// MedianCPU is the median CPU time.
func (s *Sample) MedianCPU() time.Duration { return median(s.CPU) }

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// TimeV runs bin with args under /usr/bin/time -v, output to /dev/null, and
// returns the "Maximum resident set size" it reports, in bytes; 0 without
// /usr/bin/time.
func TimeV(ctx context.Context, bin string, args ...string) (int64, error) {
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		return 0, nil
	}
	cmd := exec.CommandContext(ctx, "/usr/bin/time", append([]string{"-v", bin}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return 0, fmt.Errorf("/usr/bin/time -v %s: %v\n%s", filepath.Base(bin), err, stderr.Bytes())
	}
	for line := range strings.Lines(stderr.String()) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Maximum resident set size (kbytes):"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return kib * 1024, err
		}
	}
	return 0, fmt.Errorf("/usr/bin/time -v: no maximum resident set size in its output")
}

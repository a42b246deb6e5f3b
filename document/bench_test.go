package document_test

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/tamledger/tamledger"
	"github.com/tamledger/tamledger/document"
)

const benchDocs = 100_000

var services = []string{"strategy-call", "cost-review", "well-architected-review", "security-review"}

func engagementCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString("id,organization,date,service,initiatedBy,workloads,summary\n")
	for i := range n {
		fmt.Fprintf(&b, "e-%d,org-%d,2026-%02d-%02d,%s,tam,payments;data,Engagement number %d\n",
			i, i%100, 1+i%12, 1+i%28, services[i%4], i)
	}
	return b.Bytes()
}

func engagementNDJSON(n int) []byte {
	var b bytes.Buffer
	for i := range n {
		fmt.Fprintf(&b, `{"apiVersion":"tamledger/v1","kind":"Engagement","metadata":{"id":"e-%d","organization":"org-%d"},"spec":{"date":"2026-%02d-%02d","service":"%s","initiatedBy":"tam","workloads":["payments","data"],"summary":"Engagement number %d"}}`+"\n",
			i, i%100, 1+i%12, 1+i%28, services[i%4], i)
	}
	return b.Bytes()
}

func engagementRecords(n int) []tamledger.Record {
	recs := make([]tamledger.Record, n)
	for i := range recs {
		recs[i] = tamledger.Record{Kind: tamledger.KindEngagement, Org: fmt.Sprintf("org-%d", i%100), ID: fmt.Sprintf("e-%d", i),
			Value: &tamledger.Engagement{Date: tamledger.NewDate(2026, time.Month(1+i%12), 1+i%28), Service: services[i%4],
				InitiatedBy: "tam", Workloads: []string{"payments", "data"}, Summary: fmt.Sprintf("Engagement number %d", i)}}
		recs[i].SetKey()
	}
	return recs
}

func benchRead(b *testing.B, name string, input []byte, docs int) {
	b.SetBytes(int64(len(input)))
	b.ReportAllocs()
	for b.Loop() {
		r := document.NewReader(name, bytes.NewReader(input), document.Options{MaxBytes: -1})
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != docs {
			b.Fatalf("read %d documents, want %d", n, docs)
		}
	}
	b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkReadCSV(b *testing.B) {
	benchRead(b, "e.csv", engagementCSV(benchDocs), benchDocs)
}

func BenchmarkReadJSON(b *testing.B) {
	b.Run("concatenated", func(b *testing.B) {
		benchRead(b, "e.json", engagementNDJSON(benchDocs), benchDocs)
	})
	b.Run("list", func(b *testing.B) {
		var buf bytes.Buffer
		enc := document.NewEncoder(&buf, "json")
		for _, r := range engagementRecords(benchDocs) {
			enc.Encode(r)
		}
		enc.Close()
		benchRead(b, "e.json", buf.Bytes(), benchDocs)
	})
}

func BenchmarkReadYAML(b *testing.B) {
	var buf bytes.Buffer
	enc := document.NewEncoder(&buf, "yaml")
	for _, r := range engagementRecords(benchDocs) {
		enc.Encode(r)
	}
	enc.Close()
	benchRead(b, "e.yaml", buf.Bytes(), benchDocs)
}

func BenchmarkEncode(b *testing.B) {
	recs := engagementRecords(benchDocs)
	for _, format := range []string{"yaml", "json"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				enc := document.NewEncoder(io.Discard, format)
				for _, r := range recs {
					if err := enc.Encode(r); err != nil {
						b.Fatal(err)
					}
				}
				enc.Close()
			}
			b.ReportMetric(float64(len(recs))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
		})
	}
}

// generator produces n JSON documents without holding them.
type generator struct {
	i, n int
	buf  []byte
}

func (g *generator) Read(p []byte) (int, error) {
	for len(g.buf) == 0 {
		if g.i == g.n {
			return 0, io.EOF
		}
		g.buf = fmt.Appendf(g.buf[:0], `{"apiVersion":"tamledger/v1","kind":"Engagement","metadata":{"id":"e-%d","organization":"acme"},"spec":{"date":"2026-01-20","service":"other","initiatedBy":"tam","summary":"Engagement number %d"}}`+"\n", g.i, g.i)
		g.i++
	}
	n := copy(p, g.buf)
	g.buf = g.buf[n:]
	return n, nil
}

// TestStreaming reads a large input and checks that memory stays flat: the
// reader holds one document at a time.
func TestStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 200,000 documents")
	}
	const n = 200_000
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	r := document.NewReader("big.json", &generator{n: n}, document.Options{MaxBytes: -1})
	peak := uint64(0)
	for i := 0; ; i++ {
		_, err := r.Next()
		if err == io.EOF {
			if i != n {
				t.Fatalf("read %d documents, want %d", i, n)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if i%20000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
	}
	if grown := int64(peak) - int64(base); grown > 32<<20 {
		t.Errorf("the heap grew by %d MiB while streaming %d documents (~%d MiB of input)", grown>>20, n, n*190>>20)
	}
}

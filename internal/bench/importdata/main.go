// Command importdata writes the inputs of the import benchmark
// (bench/import.sh): an organisation, and N engagements of it as CSV and as
// JSON (one document per line), the same rows in both.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	n := flag.Int("n", 1_000_000, "number of engagements")
	dir := flag.String("dir", ".", "output directory")
	flag.Parse()
	if err := os.WriteFile(filepath.Join(*dir, "org.yaml"), []byte(org), 0o644); err != nil {
		log.Fatal(err)
	}
	services := []string{"strategy-call", "cost-review", "well-architected-review", "security-review", "specialist-deep-dive", "business-review"}
	workloads := []string{"payments", "data", "payments;data"}
	csvF, err := os.Create(filepath.Join(*dir, "engagements.csv"))
	if err != nil {
		log.Fatal(err)
	}
	jsonF, err := os.Create(filepath.Join(*dir, "engagements.json"))
	if err != nil {
		log.Fatal(err)
	}
	c, j := bufio.NewWriterSize(csvF, 1<<20), bufio.NewWriterSize(jsonF, 1<<20)
	fmt.Fprintln(c, "id,organization,date,service,initiatedBy,workloads,summary")
	for i := range *n {
		date := fmt.Sprintf("%04d-%02d-%02d", 2020+i%7, 1+i/7%12, 1+i/84%28)
		svc := services[i%len(services)]
		by := "tam"
		if i%3 == 0 {
			by = "customer"
		}
		wl := workloads[i%len(workloads)]
		fmt.Fprintf(c, "e-%08d,bench,%s,%s,%s,%s,engagement number %d\n", i, date, svc, by, wl, i)
		jwl := `"payments"`
		switch wl {
		case "data":
			jwl = `"data"`
		case "payments;data":
			jwl = `"payments","data"`
		}
		fmt.Fprintf(j, `{"apiVersion":"tamledger/v1","kind":"Engagement","metadata":{"id":"e-%08d","organization":"bench"},"spec":{"date":"%s","service":"%s","initiatedBy":"%s","workloads":[%s],"summary":"engagement number %d"}}`+"\n",
			i, date, svc, by, jwl, i)
	}
	for _, w := range []*bufio.Writer{c, j} {
		if err := w.Flush(); err != nil {
			log.Fatal(err)
		}
	}
	csvF.Close()
	jsonF.Close()
}

const org = `apiVersion: tamledger/v1
kind: Organization
metadata: {id: bench}
spec:
  name: Benchmark Org
  workloads:
    - {id: payments, primary: true}
    - {id: data, primary: true}
`

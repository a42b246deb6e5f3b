package render

import (
	"reflect"
	"sync"
	"unicode"

	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// pdfFonts are the fonts the PDF embeds (the Go fonts: Latin, Greek,
// Cyrillic and common symbols), parsed for their character maps.
var pdfFonts = sync.OnceValue(func() []*sfnt.Font {
	var fs []*sfnt.Font
	for _, ttf := range [][]byte{goregular.TTF, gobold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			panic("render: the embedded Go fonts do not parse: " + err.Error())
		}
		fs = append(fs, f)
	}
	return fs
})

// MissingGlyphs returns the characters of d's text, in the order they first
// appear, that a font of the PDF has no glyph for (a name in Japanese, an
// Arabic summary): the PDF shows them as empty boxes, though its text
// keeps them (it can be selected, searched and copied).
func MissingGlyphs(d *Document) []rune {
	var (
		buf     sfnt.Buffer
		seen    = map[rune]bool{}
		missing []rune
	)
	fonts := pdfFonts()
	check := func(s string) {
		for _, r := range s {
			if seen[r] || unicode.IsSpace(r) || unicode.IsControl(r) {
				continue
			}
			seen[r] = true
			for _, f := range fonts {
				if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
					missing = append(missing, r)
					break
				}
			}
		}
	}
	walkStrings(reflect.ValueOf(d), check)
	return missing
}

// walkStrings calls fn with every string held in v (through pointers,
// structs, slices and maps), but those of struct fields tagged pdf:"-",
// which a PDF does not draw.
func walkStrings(v reflect.Value, fn func(string)) {
	switch v.Kind() {
	case reflect.String:
		fn(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkStrings(v.Elem(), fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Type().Field(i); f.IsExported() && f.Tag.Get("pdf") != "-" {
				walkStrings(v.Field(i), fn)
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			walkStrings(v.Index(i), fn)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			walkStrings(it.Key(), fn)
			walkStrings(it.Value(), fn)
		}
	}
}

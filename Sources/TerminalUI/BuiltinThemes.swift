// Generated from Themes/*.theme so the binary works without the folder installed.
// `ThemeTests.testShippedFilesMatchBuiltins` fails if the two drift apart.
extension Theme {
    static let builtinSources: [String: String] = [
        "dark": #"""
# handlet dark theme (the default). Copy this file, edit it, and pass --theme PATH.
name: dark
normal       = 252 on default                    ; mono plain
dim          = 246                               ; mono dim
header       = 117 bold                          ; mono bold underline
title        = 153 bold                          ; mono bold
selection    = 231 on 25 bold                    ; mono reverse bold
accent       = 81                                ; mono bold
warning      = 214 bold                          ; mono bold
error        = 203 bold                          ; mono bold underline
success      = 114                               ; mono plain
border       = 243                               ; mono dim
tabActive    = 231 on 25 bold                    ; mono reverse bold
tabInactive  = 248 on 236                        ; mono plain
statusBar    = 252 on 236                        ; mono reverse
chip         = 16 on 110                         ; mono reverse
highlight    = 16 on 221                         ; mono reverse underline
control      = 176 dim                           ; mono dim
link         = 117 underline                     ; mono underline
emphasis     = 252 underline                     ; mono underline
strong       = 231 bold                          ; mono bold
code         = 186 on 235                        ; mono dim
input        = 252 on 237                        ; mono underline
inputFocused = 231 on 24                         ; mono reverse
gauge        = 114 on 238                        ; mono reverse
chart        = 81                                ; mono bold
overlay      = 252 on 235                        ; mono plain
"""#,
        "light": #"""
# handlet light theme: dark text on its own pale background, legible in any terminal.
name: light
normal       = 235 on 255                        ; mono plain
dim          = 241                               ; mono dim
header       = 24 bold                           ; mono bold underline
title        = 25 bold                           ; mono bold
selection    = 16 on 153 bold                    ; mono reverse bold
accent       = 25                                ; mono bold
warning      = 94 bold                           ; mono bold
error        = 160 bold                          ; mono bold underline
success      = 22                                ; mono plain
border       = 244                               ; mono dim
tabActive    = 231 on 25 bold                    ; mono reverse bold
tabInactive  = 238 on 254                        ; mono plain
statusBar    = 235 on 253                        ; mono reverse
chip         = 231 on 61                         ; mono reverse
highlight    = 16 on 229                         ; mono reverse underline
control      = 127 dim                           ; mono dim
link         = 25 underline                      ; mono underline
emphasis     = 235 underline                     ; mono underline
strong       = 16 bold                           ; mono bold
code         = 88 on 255                         ; mono dim
input        = 235 on 254                        ; mono underline
inputFocused = 16 on 153                         ; mono reverse
gauge        = 28 on 252                         ; mono reverse
chart        = 25                                ; mono bold
overlay      = 235 on 255                        ; mono plain
"""#,
        "high-contrast": #"""
# handlet high-contrast theme: pure black and white with saturated accents, bold everywhere it helps.
name: high-contrast
normal       = bright-white on black             ; mono plain
dim          = white on black                    ; mono plain
header       = bright-yellow on black bold underline ; mono bold underline
title        = bright-white on black bold        ; mono bold
selection    = black on bright-yellow bold       ; mono reverse bold
accent       = bright-cyan on black bold         ; mono bold
warning      = black on bright-yellow bold       ; mono reverse bold
error        = bright-white on red bold          ; mono reverse bold underline
success      = bright-green on black bold        ; mono bold
border       = bright-white on black             ; mono plain
tabActive    = black on bright-white bold        ; mono reverse bold
tabInactive  = bright-white on black underline   ; mono underline
statusBar    = black on bright-white             ; mono reverse
chip         = black on bright-cyan bold         ; mono reverse
highlight    = black on bright-green bold        ; mono reverse underline
control      = bright-magenta on black bold      ; mono bold
link         = bright-cyan on black underline    ; mono underline
emphasis     = bright-white on black underline   ; mono underline
strong       = bright-white on black bold        ; mono bold
code         = bright-yellow on black            ; mono bold
input        = bright-white on blue              ; mono underline
inputFocused = black on bright-cyan bold         ; mono reverse bold
gauge        = black on bright-green             ; mono reverse
chart        = bright-cyan on black bold         ; mono bold
overlay      = bright-white on black             ; mono plain
"""#,
        "monochrome": #"""
# handlet monochrome theme: attributes only, no colour at all (also what NO_COLOR gives any theme).
name: monochrome
normal       = plain                             ; mono plain
dim          = dim                               ; mono dim
header       = bold underline                    ; mono bold underline
title        = bold                              ; mono bold
selection    = reverse bold                      ; mono reverse bold
accent       = bold                              ; mono bold
warning      = bold                              ; mono bold
error        = bold underline                    ; mono bold underline
success      = plain                             ; mono plain
border       = dim                               ; mono dim
tabActive    = reverse bold                      ; mono reverse bold
tabInactive  = plain                             ; mono plain
statusBar    = reverse                           ; mono reverse
chip         = reverse                           ; mono reverse
highlight    = reverse underline                 ; mono reverse underline
control      = dim                               ; mono dim
link         = underline                         ; mono underline
emphasis     = underline                         ; mono underline
strong       = bold                              ; mono bold
code         = dim                               ; mono dim
input        = underline                         ; mono underline
inputFocused = reverse                           ; mono reverse
gauge        = reverse                           ; mono reverse
chart        = bold                              ; mono bold
overlay      = plain                             ; mono plain
"""#,
    ]
}

/**
 * Passwords of 10 or more characters that top the public breach lists (shorter ones
 * are refused for their length anyway), plus this product's own name. Compared in
 * lower case, so "Password123" counts as "password123".
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `
0000000000 0123456789 0987654321 1010101010 1111111111 1122334455 1212121212 1231231234
123123123a 1234567890 1234567890a 12345678910 123456789a 123456789q 1234abcd!@ 1234qwerty
123qweasdzxc 1313131313 13579246810 1357924680 1472583690 147258369a 1q2w3e4r5t 1q2w3e4r5t6y
1qaz2wsx3edc 2222222222 3333333333 4444444444 5555555555 6666666666 6969696969 7777777777
8888888888 9876543210 987654321a 9999999999 a1234567890 aaaaaaaaaa abc1234567 abcabcabc1
abcd123456 abcdefghij admin12345 admin123456 administrator alexander1 andrew1234 anthony123
arsenal123 ashley1234 asdfasdfasdf asdfghjkl1 asdfghjkl; autumn2025 baseball1 baseball123
basketball basketball1 basketball123 batman1234 beautiful1 benjamin123 blink182182 boxoffice1
boxoffice123 butterfly1 changeme!! changeme123 charlie123 charlotte1 chelsea123 chevrolet1
chocolate1 chocolate123 christopher christopher1 computer123 corvette12 daniel1234
dragon12345 dragonball elizabeth1 facebook123 ferrari123 football1 football123 footballer
fortnite123 freedom123 google1234 happy12345 harrypotter harrypotter1 hockey1234 iloveyou!!
iloveyou1 iloveyou12 iloveyou123 iloveyouu ilovemyself internet123 iphone1234 ironman123
january2025 jennifer123 jessica123 jonathan123 jordan2323 joshua1234 letmein!!! letmein123
linkedin123 liverpool1 love123456 loveyou123 loveyou1234 manchester1 matthew123 mercedes123
metallica1 michael123 michelle12 minecraft1 minecraft123 monkey1234 monkey12345 mustang123
mypassword mypassword1 naruto1234 nicholas123 nintendo64 p@ssw0rd123 p@ssw0rd! passport123
passw0rd!! passw0rd123 password!1 password! password01 password12 password123 password1234
password2024 password2025 password2026 pineapple1 playstation playstation1 playstation2
pokemon123 porsche911 princess1 princess123 q123456789 qazwsxedc123 qazwsxedcrfv qwer1234!!
qwerty1234 qwerty12345 qwerty123456 qwertyqwerty qwertyuiop qwertyuiop123 roblox1234
samsung123 secret1234 secretpass slipknot666 soccer1234 spiderman1 spiderman123 spring2025
starwars1 starwars123 startrek11 strawberry strawberry1 summer2024 summer2025 summer2026
sunflower1 sunshine123 superman1 superman123 sweetheart sweetheart1 thomas1234 ticket1234
tickets123 tinkerbell tinkerbell1 trustno1!! victoria123 welcome!!! welcome123 welcome1234
welcome2024 welcome2025 welcome2026 whatever123 william123 winter2024 winter2025 winter2026
xbox360360 zaq12wsxcde3 zxcvbnm123 zxcvbnmasdf
`
    .split(/\s+/)
    .filter(Boolean),
);

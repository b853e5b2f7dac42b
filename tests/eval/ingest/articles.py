"""The texts of the HTML evaluation corpus (written for it; names are public).

Each article is the known main text of one page: ``make_corpus.py`` wraps it in
a page layout with its furniture, and the evaluation checks what comes back.
"""

from __future__ import annotations

ARTICLES: list[dict[str, object]] = [
    {
        "slug": "01-jem-bahawalpur-seminary",
        "lang": "en",
        "title": "Officials inspect Bahawalpur seminary linked to Jaish-e-Mohammed",
        "author": "Nadia Qureshi",
        "date": "2024-04-02",
        "body": [
            "BAHAWALPUR: Provincial officials on Monday inspected a seminary on the outskirts of "
            "Bahawalpur that India says served as the headquarters of Jaish-e-Mohammed (JeM), "
            "and said they had found only students and teachers there.",
            "The complex, known locally as Madrassa Sabir, has been under government "
            "administration since 2019. Officials said it was run by a board appointed by the "
            "Punjab government and that no member of the Azhar family held a post there.",
            "Masood Azhar, the founder of JeM, has not been seen in public since 2019. "
            "Pakistani officials have said in the past that Azhar is unwell and that his "
            "whereabouts are not known, a claim that Indian officials reject.",
            "Maulana Masood Azhar was released from an Indian prison in 1999 in exchange for the "
            "passengers of a hijacked Indian Airlines flight. He set up Jaish-e-Muhammad weeks "
            "later, drawing fighters from Harkat-ul-Mujahideen (HuM).",
        ],
    },
    {
        "slug": "02-let-muridke-court",
        "lang": "en",
        "title": "Court rejects bail for Lashkar-e-Tayyiba fundraisers",
        "author": "Usman Cheema",
        "date": "2023-11-21",
        "body": [
            "LAHORE, Nov. 21 — An anti-terrorism court in Lahore on Tuesday rejected bail "
            "applications from four men accused of raising money for Lashkar-e-Tayyiba (LeT) "
            "through a trust registered in Muridke.",
            "Prosecutors said the trust collected hides of sacrificial animals during Eid and "
            "sold them to tanneries in Kasur, passing the proceeds to Lashkar. The defence said "
            "the trust ran a hospital and that the accused were volunteers.",
            "The court noted that the trust's chairman had been a member of Jamaat-ud-Dawa "
            "(JuD), the charity wing that Pakistan banned in 2019. Hafiz Saeed, who founded "
            "Lashkar-e-Taiba and led JuD, is serving a prison sentence in Lahore.",
            "The next hearing is set for December 5. The Counter Terrorism Department said it "
            "was tracing accounts in three other cities.",
        ],
    },
    {
        "slug": "03-ttp-dera-ismail-khan",
        "lang": "en",
        "title": "Police post attacked in Dera Ismail Khan, TTP claims responsibility",
        "author": "Zahid Gul",
        "date": "2024-07-09",
        "body": [
            "DERA ISMAIL KHAN: Militants attacked a police post in the Kulachi area of Dera "
            "Ismail Khan before dawn on Tuesday, killing two constables, police said. The "
            "Tehreek-e-Taliban Pakistan (TTP) said its fighters carried out the attack.",
            "A police spokesman said the attackers used night-vision equipment and fled towards "
            "the Sheikh Badin hills. Reinforcements were sent from Tank and Lakki Marwat.",
            "The TTP, headed by Noor Wali Mehsud, has claimed dozens of attacks on police in "
            "southern Khyber Pakhtunkhwa this year. Mehsud said in a video message in June "
            "that the group would focus on security forces.",
            "Pakistan says TTP leaders live in Afghanistan, a charge the Taliban government in "
            "Kabul denies. The Tehrik-i-Taliban was formed in 2007 under Baitullah Mehsud.",
        ],
    },
    {
        "slug": "04-hezbollah-border",
        "lang": "en",
        "title": "Hezbollah fires rockets at northern Israel after strike kills commander",
        "author": "Karim Haddad",
        "date": "2024-06-12",
        "body": [
            "BEIRUT (Reuters) - Hezbollah fired dozens of rockets at northern Israel on "
            "Wednesday, a day after an Israeli strike in south Lebanon killed one of its senior "
            "field commanders, Taleb Abdallah.",
            "The group said Abdallah, also known as Abu Taleb, commanded its forces in the "
            "central sector of the border. Hezbollah's deputy leader Naim Qassem said the "
            "group would respond to every killing.",
            "Israel's military said about 90 projectiles were fired and that most fell in open "
            "areas. Fires broke out near Safed and in the Golan Heights.",
            "Hizbollah and Israel have exchanged fire since October. More than 400 people have "
            "been killed in Lebanon, most of them fighters, according to a tally of statements.",
        ],
    },
    {
        "slug": "05-houthi-shipping",
        "lang": "en",
        "title": "Houthis claim attack on tanker in Gulf of Aden",
        "author": "",
        "date": "2024-02-27",
        "body": [
            "ADEN: Yemen's Houthi movement said on Tuesday it had fired missiles at a tanker in "
            "the Gulf of Aden, the latest in a series of attacks that have disrupted shipping "
            "through the Bab el-Mandeb strait.",
            "Ansar Allah military spokesman Yahya Sari said the ship was American-owned. A "
            "maritime security firm said the vessel reported an explosion nearby but no damage.",
            "Abdul Malik al-Houthi, the group's leader, said last week that attacks would "
            "continue until the war in Gaza ended. Abdulmalik al-Houthi rarely appears in "
            "public and addresses supporters through televised speeches.",
        ],
    },
    {
        "slug": "06-iskp-kabul",
        "lang": "en",
        "title": "Taliban say ISKP cell behind Kabul bank bombing dismantled",
        "author": "Farid Ahmadzai",
        "date": "2024-03-25",
        "body": [
            "KABUL: The Taliban government said on Monday it had dismantled a cell of the "
            "Islamic State Khorasan Province (ISKP) that bombed a bank in Kandahar last week, "
            "killing at least 21 people.",
            "Spokesman Zabihullah Mujahid said four men had been detained in Kabul and "
            "Nangarhar. He said they had received orders from Shahab al-Muhajir, the leader of "
            "ISIS-K, through a messaging app.",
            "The group, also known as IS-K, has attacked Taliban officials, Shia mosques and "
            "foreign embassies since 2021. Sanaullah Ghafari, which UN experts give as "
            "Muhajir's real name, has led it since 2020.",
            "Independent verification of the arrests was not possible. The Taliban rarely "
            "allow journalists to meet detainees.",
        ],
    },
    {
        "slug": "07-baloch-liberation-army",
        "lang": "en",
        "title": "BLA gunmen storm Gwadar port authority complex",
        "author": "Shahzad Baloch",
        "date": "2024-03-21",
        "body": [
            "GWADAR: Gunmen from the Baloch Liberation Army (BLA) attacked the Gwadar Port "
            "Authority complex on Wednesday evening, setting off hours of fighting with "
            "security forces, the military's media wing said.",
            "The Inter-Services Public Relations (ISPR) said all eight attackers were killed and "
            "that two soldiers died. The BLA's Majeed Brigade claimed the assault in a statement "
            "sent to journalists.",
            "Attacks on Chinese interests",
            "Bashir Zeb, who has led the Baloch Liberation Army since 2018, has called "
            "Chinese-funded projects in Balochistan a form of occupation. China has asked "
            "Pakistan to improve security for its workers.",
            "The complex houses offices of the port authority and several government "
            "departments. Gwadar has seen repeated attacks since 2019.",
        ],
    },
    {
        "slug": "08-trf-kashmir",
        "lang": "en",
        "title": "Police identify TRF commander killed in Kulgam encounter",
        "author": "Aijaz Hussain",
        "date": "2024-05-08",
        "body": [
            "SRINAGAR: Police in Jammu and Kashmir on Wednesday identified one of two militants "
            "killed in an overnight gunfight in Kulgam as Basit Ahmad Dar, a commander of The "
            "Resistance Front (TRF).",
            "Inspector General of Police V.K. Birdi said Dar was involved in at least 18 "
            "killings, including attacks on police officers and civilians. Police describe TRF "
            "as an offshoot of Lashkar-e-Taiba.",
            "The operation began on Tuesday after a tip-off about militants hiding in a house "
            "in the Redwani area. Mobile internet was suspended in the district.",
            "Sheikh Sajjad Gul, whom India designates as TRF's chief, is believed to be in "
            "Pakistan. Officials say the group was created to give Lashkar a local name.",
        ],
    },
    {
        "slug": "09-liban-hezbollah-fr",
        "lang": "fr",
        "title": "Le Hezbollah désigne Naïm Qassem à sa tête",
        "author": "Claire Moreau",
        "date": "2024-10-29",
        "body": [
            "BEYROUTH : Le Hezbollah a annoncé mardi la désignation de Naïm Qassem au poste de "
            "secrétaire général, un mois après la mort de Hassan Nasrallah dans une frappe "
            "israélienne sur la banlieue sud de Beyrouth.",
            "Cheikh Naïm Qassem, 71 ans, était le numéro deux du parti chiite depuis 1991. Il "
            "avait assuré l'intérim et prononcé plusieurs discours télévisés depuis la mort de "
            "Nasrallah.",
            "Le Conseil de la choura du Hezbollah, qui élit le secrétaire général, n'a pas "
            "précisé la date du vote. Hachem Safieddine, longtemps présenté comme le successeur "
            "probable, a été tué début octobre.",
            "Le ministre iranien des Affaires étrangères, Abbas Araghchi, a salué cette "
            "nomination, selon l'agence officielle iranienne.",
        ],
    },
    {
        "slug": "10-lahore-urdu",
        "lang": "ur",
        "title": "لاہور: کالعدم تنظیم کے چار کارکن گرفتار",
        "author": "",
        "date": "2024-01-16",
        "body": [
            "لاہور: محکمہ انسداد دہشت گردی نے منگل کو شہر کے مختلف علاقوں میں کارروائیاں کر کے "
            "کالعدم لشکر طیبہ سے تعلق رکھنے والے چار افراد کو گرفتار کر لیا۔",
            "سی ٹی ڈی کے ترجمان کے مطابق ملزمان کے قبضے سے رسیدیں اور نقدی برآمد ہوئی ہے جو مبینہ "
            "طور پر چندہ جمع کرنے کے لیے استعمال کی جا رہی تھیں۔",
            "ترجمان نے بتایا کہ گرفتار افراد کو انسداد دہشت گردی کی عدالت میں پیش کیا جائے گا اور "
            "تفتیش جاری ہے۔",
        ],
    },
    {
        "slug": "11-jem-pathankot-anniversary",
        "lang": "en",
        "title": "Eight years on, Pathankot attack case stalls",
        "author": "Rahul Verma",
        "date": "2024-01-02",
        "body": [
            "NEW DELHI: Eight years after gunmen attacked the Pathankot air force station, the "
            "case against the men India accuses of planning it has made no progress, officials "
            "at the National Investigation Agency (NIA) said.",
            "What the charge sheet says",
            "The NIA's charge sheet, filed in 2016, named Masood Azhar, his brother Abdul Rauf "
            "Asghar and two other members of Jaish-e-Mohammed. Rauf, also spelt Abdul Rauf "
            "Azhar, was designated by the United States in 2010.",
            "India has asked Pakistan to hand over the accused. Islamabad says the evidence "
            "shared so far is not enough to bring a case in its courts.",
            "Seven security personnel were killed in the attack, which began on January 2, "
            "2016, and lasted for more than three days.",
        ],
    },
    {
        "slug": "12-hamas-doha-talks",
        "lang": "en",
        "title": "Hamas delegation in Cairo for ceasefire talks",
        "author": "Lina Saleh",
        "date": "2024-05-04",
        "body": [
            "CAIRO: A Hamas delegation led by Khalil al-Hayya arrived in Cairo on Saturday for "
            "talks on a ceasefire in Gaza and the release of hostages, Egyptian state media "
            "reported.",
            "Al-Hayya, the deputy of the group's Gaza chief Yahya Sinwar, has led Hamas "
            "negotiators in several rounds of talks mediated by Egypt and Qatar. Ismail "
            "Haniyeh, the head of the political bureau, remained in Doha.",
            "\u201cWe are ready for a deal,\u201d one official said.",
            "The Islamic Resistance Movement, as Hamas calls itself, said it would study the "
            "latest proposal in a positive spirit. Israeli officials did not comment.",
            "CIA Director William Burns was also expected in Cairo, according to two officials "
            "briefed on the talks.",
        ],
    },
    {
        "slug": "13-hizbul-encounter",
        "lang": "en",
        "title": "Hizbul Mujahideen commander killed in Doda gunfight, police say",
        "author": "Peerzada Ashiq",
        "date": "2023-09-18",
        "body": [
            "JAMMU: A commander of Hizbul Mujahideen (HM) was killed in a gunfight with security "
            "forces in the forests of Doda district on Sunday, police said.",
            "The police identified him as Mohammad Amin Bhat, who had been active since 2011. "
            "Officers said Bhat, also known as Jahangir Saroori's aide, had escaped several "
            "operations in the Chenab valley.",
            "Jahangir Saroori, the most wanted Hizbul commander in the region, is believed to "
            "be hiding in the same forests. The Hizb has lost most of its cadre in the valley, "
            "officials said.",
        ],
    },
    {
        "slug": "14-lej-karachi",
        "lang": "en",
        "title": "CTD arrests Lashkar-e-Jhangvi suspects in Karachi",
        "author": "Imtiaz Ali",
        "date": "2024-08-30",
        "body": [
            "KARACHI: The Counter Terrorism Department (CTD) said on Friday it had arrested three "
            "suspected members of Lashkar-e-Jhangvi (LeJ) in the Manghopir area of Karachi.",
            "A CTD officer said the men were planning attacks on members of the Shia community "
            "and had received money from a handler in Afghanistan. Weapons and a motorbike were "
            "recovered from them.",
            "LeJ, a sectarian group banned in 2001, is not the same as Lashkar-e-Taiba, though "
            "the two names are often confused abroad. Its former chief, Malik Ishaq, was killed "
            "in a police encounter in 2015.",
        ],
    },
    {
        "slug": "15-hts-idlib",
        "lang": "en",
        "title": "HTS leader al-Jolani appears in Idlib after rumours of illness",
        "author": "Rami Khalil",
        "date": "2024-06-03",
        "body": [
            "IDLIB, Syria: Abu Mohammad al-Jolani, the leader of Hayat Tahrir al-Sham (HTS), "
            "appeared at a public meeting in Idlib on Monday, his first in weeks.",
            "Al-Jolani, whose real name is Ahmed al-Sharaa, told local officials that protests "
            "against his group would be answered with reforms. The protests began in February "
            "after the death of a detainee.",
            "HTS grew out of the Nusra Front, al-Qaeda's former Syrian branch. Jolani broke with "
            "al-Qaeda in 2016, a split that Ayman al-Zawahiri never accepted.",
        ],
    },
]

"""Word pools for the synthetic community: names from many places, cities, topics, bio sentences.

Plain data, kept apart from synth.py so the generator reads as logic. Names are (shown, ASCII)
pairs where the shown form is not Latin, so handles stay a-z0-9 as the profile format requires.
"""

from __future__ import annotations

FIRST_NAMES = """
Ada Grace Alan Katherine Tim Margaret Linus Barbara Donald Frances Edsger Radia Dennis Hedy
Amara Chidi Ngozi Oluwaseun Kwame Abena Tendai Thandiwe Sipho Zanele Wanjiru Kofi Amina Yusuf
Fatima Omar Layla Karim Nour Samir Leila Hassan Yara Tariq Zainab Ibrahim Mariam Khalid
José María Lucía Javier Carmen Mateo Valentina Santiago Camila Diego Sofía Joaquín Ximena Andrés
João Beatriz Thiago Inês Rafael Mariana Gonçalo Letícia Caio Marta
Priya Arjun Ananya Rohan Kavya Vikram Meera Aditya Nisha Rahul Divya Sanjay Lakshmi Ravi
Wei Mei Jun Hui Lei Xiu Ming Yan Hao Lin Akira Yuki Haruto Sakura Ren Aoi Hiroshi Emi
Minjun Seoyeon Jiwoo Hana Doyun Sora Linh Minh Thao Quang Anh Bao Siti Putri Budi Dewi
Olga Ivan Natalia Dmitri Ekaterina Sergei Anastasia Pavel Irina Mikhail Agnieszka Piotr Zofia
Tomasz Katarzyna Jakub Eszter Bence Réka Ádám Jiří Tereza Ondřej Kateřina Ilse Lars Ingrid
Sven Astrid Bjørn Freja Søren Maja Aino Eero Kaisa Matti Siobhán Ciarán Aoife Niamh Eoin
Émile Chloé Théo Léa Hugo Manon Élodie Rémi Anaïs Noémie Giulia Lorenzo Chiara Matteo Francesca
Hannah Lukas Mia Felix Lena Jonas Clara Paul Emma Noah Olivia Liam Ava Ethan Isla Oscar
Aiyana Takoda Kai Leilani Keanu Malia Tama Aroha Mere Nikau Ayşe Mehmet Elif Emre Zeynep
Dimitra Nikos Eleni Yiannis Avi Noa Tamar Eitan Shira Ariel
""".split()

LAST_NAMES = """
Lovelace Hopper Turing Johnson Berners-Lee Hamilton Torvalds Liskov Knuth Allen Dijkstra Perlman
Ritchie Lamarr Okafor Adeyemi Mensah Boateng Moyo Dlamini Nkosi Kamau Otieno Mwangi Diallo Traoré
Haddad Khalil Mansour Nasser Saleh Farouk Aziz Rahman Hussain Qureshi Siddiqui Chaudhry
García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera
Gómez Díaz Morales Ortiz Silva Santos Oliveira Souza Costa Pereira Almeida Ferreira Carvalho
Sharma Patel Iyer Reddy Nair Gupta Mehta Banerjee Chatterjee Rao Krishnan Menon Pillai Desai
Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Sato Suzuki Takahashi Tanaka Watanabe Ito
Yamamoto Nakamura Kim Lee Park Choi Jung Kang Nguyen Tran Le Pham Hoang Vu Santoso Wijaya
Ivanova Petrov Smirnova Volkov Sokolova Kowalski Nowak Wiśniewska Wójcik Kovács Szabó Tóth
Novák Dvořák Černá Jensen Nielsen Hansen Andersson Johansson Lindqvist Virtanen Korhonen
Mäkinen O'Connor O'Brien Murphy Byrne Kelly Gallagher Dubois Lefèvre Moreau Laurent Girard
Rossi Russo Ferrari Esposito Bianchi Romano Müller Schmidt Schneider Fischer Weber Becker
Schäfer Smith Jones Williams Brown Taylor Davies Evans Wilson Thompson Robinson Walker
Begay Yazzie Tsosie Kahale Akana Kealoha Ngata Parata Tane Yılmaz Kaya Demir Çelik Şahin
Papadopoulos Georgiou Nikolaidis Cohen Levi Mizrahi Friedman Ben-David
""".split()

# Names written in their own script, with the romanisation a handle is made from.
NATIVE_NAMES = [
    ("王芳", "wang fang"), ("李娜", "li na"), ("张伟", "zhang wei"), ("陈静", "chen jing"),
    ("山田花子", "yamada hanako"), ("佐藤健", "sato ken"), ("김민수", "kim minsu"), ("이서연", "lee seoyeon"),
    ("Анна Смирнова", "anna smirnova"), ("Дмитрий Орлов", "dmitri orlov"),
    ("Νίκος Παπαδάκης", "nikos papadakis"), ("Ελένη Κωστά", "eleni kosta"),
    ("أحمد منصور", "ahmed mansour"), ("ليلى حداد", "layla haddad"), ("דנה כהן", "dana cohen"),
    ("प्रिया शर्मा", "priya sharma"), ("অনিক রায়", "anik roy"), ("தமிழ் செல்வி", "tamil selvi"),
]

PRONOUNS = ["she/her", "he/him", "they/them", "she/they", "he/they"]

CITIES = """
London, UK|Manchester, UK|Dublin, Ireland|Paris, France|Lyon, France|Berlin, Germany|Munich, Germany
Amsterdam, Netherlands|Brussels, Belgium|Zürich, Switzerland|Vienna, Austria|Prague, Czechia
Warsaw, Poland|Budapest, Hungary|Stockholm, Sweden|Oslo, Norway|Copenhagen, Denmark|Helsinki, Finland
Lisbon, Portugal|Madrid, Spain|Barcelona, Spain|Milan, Italy|Rome, Italy|Athens, Greece|Istanbul, Türkiye
Lagos, Nigeria|Accra, Ghana|Nairobi, Kenya|Kigali, Rwanda|Cape Town, South Africa|Cairo, Egypt
Casablanca, Morocco|Tel Aviv, Israel|Dubai, UAE|Bengaluru, India|Mumbai, India|Delhi, India
Chennai, India|Karachi, Pakistan|Dhaka, Bangladesh|Singapore|Jakarta, Indonesia|Ho Chi Minh City, Vietnam
Bangkok, Thailand|Manila, Philippines|Shanghai, China|Shenzhen, China|Taipei, Taiwan|Seoul, South Korea
Tokyo, Japan|Osaka, Japan|Sydney, Australia|Melbourne, Australia|Auckland, New Zealand
Vancouver, Canada|Toronto, Canada|Montréal, Canada|Seattle, USA|San Francisco, USA|Austin, USA
Chicago, USA|New York, USA|Boston, USA|Mexico City, Mexico|Bogotá, Colombia|Lima, Peru
Santiago, Chile|Buenos Aires, Argentina|São Paulo, Brazil|Recife, Brazil|Remote
""".replace("\n", "|").strip("|").split("|")

# The head of the long tail: topics many members name, most common first.
COMMON_TOPICS = """
python|machine learning|web development|product design|data science|open source|javascript
mentoring|public speaking|community building|ux research|devops|rust|climate tech|fundraising
technical writing|kubernetes|startups|accessibility|security|education|go|cloud infrastructure
data engineering|hiring|career change|frontend|backend|mobile apps|typescript|react|nlp
statistics|research|project management|leadership|marketing|design systems|api design|databases
postgresql|distributed systems|compilers|embedded systems|robotics|game development|music
photography|writing|policy|journalism|healthcare|biology|chemistry|physics|mathematics|economics
urban planning|sustainability|renewable energy|agriculture|law|ethics|privacy|linux|c++|java
scala|haskell|elixir|ruby|php|swift|kotlin|r|julia|hpc|gpu programming|computer vision
""".replace("\n", "|").strip("|").split("|")

# Combined with DOMAINS into the long tail of specific topics ("applied robotics", "teaching rust").
QUALIFIERS = """
applied|teaching|open-source|community|research in|careers in|ethics of|history of|funding for
tooling for|testing in|scaling|hiring for|design for|policy on|security of|accessibility in
writing about|mentoring in|startups in|small-team|enterprise|rural|nonprofit|academic|hands-on
visual|local|low-cost|inclusive
""".replace("\n", "|").strip("|").split("|")

DOMAINS = """
robotics|bioinformatics|epidemiology|typography|cartography|oceanography|linguistics|translation
civic tech|fintech|edtech|agritech|legal tech|health informatics|supply chains|logistics
energy storage|battery chemistry|solar power|wind power|water systems|housing|transport|cycling
public transit|food systems|fermentation|textiles|ceramics|woodworking|3d printing|electronics
radio|satellites|space systems|astronomy|geology|seismology|meteorology|climate modelling
forest ecology|marine biology|neuroscience|genomics|drug discovery|medical devices|mental health
nutrition|sports science|music production|film|animation|podcasting|theatre|poetry|comics
museums|libraries|archives|open data|digital humanities|knowledge graphs|search engines
recommender systems|information retrieval|speech recognition|machine translation|chatbots
reinforcement learning|causal inference|time series|forecasting|optimisation|operations research
game theory|cryptography|formal methods|type systems|programming languages|static analysis
fuzzing|observability|incident response|site reliability|networking|browsers|webassembly
databases internals|query engines|stream processing|data visualisation|spreadsheets|no-code tools
mobile accessibility|screen readers|localisation|payments|e-commerce|marketplaces|crowdfunding
cooperatives|unions|volunteering|open hardware|right to repair|circular economy|recycling
""".replace("\n", "|").strip("|").split("|")

OPEN_TO = ["coffee chats", "mentoring", "speaking", "collaboration", "hiring", "being hired",
           "reviewing drafts", "pair programming", "advising startups", "podcast guesting"]

CONTEXTS = [
    "We worked on the same team for two years.", "Met at a meetup and kept in touch.",
    "We co-organised a conference track.", "Former colleague; we shipped the data platform together.",
    "We mentor students together.", "Neighbours, and we run a reading group.",
    "We maintain an open-source project together.", "Met at university.",
    "We wrote a paper together.", "Introduced by a friend; we talk every few months.",
    "Same volunteer group on weekends.", "We pair on side projects.",
]

DETAILS = [
    "I can give a one-hour session.", "Happy to review a draft within a week.",
    "Mostly over video calls.", "I have done this for ten years.", "For early-stage teams.",
    "Especially for people new to the field.", "I can share templates and examples.",
    "A short call to get you unstuck.",
]

HEADLINES = [
    "{field} at a small studio", "Working on {field} and {field2}", "Researcher in {field}",
    "Freelance {field} consultant", "Lead engineer, {field}", "Teaches {field}",
    "Founder, building something in {field}", "Student of {field}", "{field} and {field2}, {city}",
]

# Bio sentences; {t} is a topic from the member's own profile, {c} their city.
SENTENCES = [
    "I have spent most of my career somewhere between {t} and {t2}, and I still enjoy both.",
    "Before that I worked for a few years in {c}, where I learned how much good teams depend on trust.",
    "These days I spend a lot of my time on {t}, mostly with small teams that move quickly.",
    "I am happiest when a messy problem turns into something simple that other people can use.",
    "My current project is a tool that makes {t} easier for people who are new to it.",
    "I try to write down what I learn, so that the next person does not have to start from nothing.",
    "On weekends you will find me walking, cooking for friends, or reading about {t2}.",
    "I care a lot about mentoring, because someone once took the time to help me when I was stuck.",
    "If you are working on {t}, I would love to hear what you are building and what is getting in the way.",
    "I moved into {t} from a very different field, so I know how confusing the first year can be.",
    "Most of my work is in the open, and I believe that sharing early makes everything better.",
    "I have given a few talks on {t2}, and I am always happy to help someone prepare their first one.",
    "The best thing about this community is how generous people are with their time and their contacts.",
    "I am slowly learning more about {t2}, and I am looking for people who can point me to good reading.",
    "Ask me about the mistakes I made when I started with {t}; there were many, and they were instructive.",
    "I run a small reading group in {c} that meets once a month, and newcomers are always welcome.",
    "At work I lead a group of five people, and I spend as much time listening as I do building.",
    "I think the hardest part of {t} is not the technology but agreeing on what problem we are solving.",
    "When I am not working, I volunteer with a local group that teaches {t2} to teenagers.",
    "I like long conversations, short meetings, and documents that say clearly what was decided.",
    "I grew up far from {c}, and I still split my time between two places and two languages.",
    "My background is in research, but I now prefer shipping small things often and learning from them.",
    "I am currently writing a short guide to {t}, and I would welcome early readers with strong opinions.",
    "I enjoy connecting people who should know each other, so do not hesitate to ask for an introduction.",
]

LIST_INTROS = ["Things I can help with:", "What I am working on:", "A few things I care about:",
               "Recent projects:", "Where I could use a hand:"]

LINK_LINES = ["More about my work on [my website]({url}).", "I write occasionally on [my blog]({url}).",
              "You can find my talks and notes [here]({url}).", "Slides from past talks are [online]({url})."]
